import SQSEngine

// GetQueueAttributes, SetQueueAttributes and PurgeQueue.

struct GetQueueAttributesRequest: Decodable {
    var queueUrl: String?
    var attributeNames: [String]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", attributeNames = "AttributeNames"
    }
}

struct SetQueueAttributesRequest: Decodable {
    var queueUrl: String?
    var attributes: [String: String]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", attributes = "Attributes"
    }
}

extension JSONProtocolHandler {
    func getQueueAttributes(_ request: GetQueueAttributesRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let attributes = try await engine.getQueueAttributes(key, names: request.attributeNames ?? [])
        var writer = JSONWriter()
        writer.object { $0.member("Attributes", attributes) }
        return writer
    }

    func setQueueAttributes(_ request: SetQueueAttributesRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        try await engine.setQueueAttributes(key, attributes: required(request.attributes, "Attributes"))
        return Self.emptyOutput
    }

    func purgeQueue(_ request: QueueURLRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        try await engine.purgeQueue(context.queueKey(fromURL: required(request.queueUrl, "QueueUrl")))
        return Self.emptyOutput
    }
}
