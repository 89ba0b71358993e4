import SQSEngine

// GetQueueAttributes, SetQueueAttributes and PurgeQueue.

struct GetQueueAttributesRequest: Decodable, Sendable {
    var queueUrl: String?
    var attributeNames: [String]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", attributeNames = "AttributeNames"
    }
}

struct SetQueueAttributesRequest: Decodable, Sendable {
    var queueUrl: String?
    var attributes: [String: String]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", attributes = "Attributes"
    }
}

extension SQSDispatcher {
    func getQueueAttributes(_ request: GetQueueAttributesRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let attributes = try await engine.getQueueAttributes(key, names: request.attributeNames ?? [])
        return .attributes(attributes)
    }

    func setQueueAttributes(_ request: SetQueueAttributesRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        try await engine.setQueueAttributes(key, attributes: required(request.attributes, "Attributes"))
        return .empty
    }

    func purgeQueue(_ request: QueueURLRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        try await engine.purgeQueue(context.queueKey(fromURL: required(request.queueUrl, "QueueUrl")))
        return .empty
    }
}
