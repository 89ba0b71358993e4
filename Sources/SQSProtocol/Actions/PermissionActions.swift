import SQSEngine

// AddPermission and RemovePermission.

struct AddPermissionRequest: Decodable, Sendable {
    var queueUrl: String?
    var label: String?
    var awsAccountIds: [String]?
    var actions: [String]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", label = "Label", awsAccountIds = "AWSAccountIds", actions = "Actions"
    }
}

struct RemovePermissionRequest: Decodable, Sendable {
    var queueUrl: String?
    var label: String?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", label = "Label"
    }
}

extension SQSDispatcher {
    func addPermission(_ request: AddPermissionRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        try await engine.addPermission(
            key, label: required(request.label, "Label"), accountIDs: required(request.awsAccountIds, "AWSAccountIds"),
            actions: required(request.actions, "Actions"))
        return .empty
    }

    func removePermission(_ request: RemovePermissionRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        try await engine.removePermission(key, label: required(request.label, "Label"))
        return .empty
    }
}
