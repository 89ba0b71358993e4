import SQSEngine

// TagQueue, UntagQueue and ListQueueTags.

struct TagQueueRequest: Decodable {
    var queueUrl: String?
    var tags: [String: String]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", tags = "Tags"
    }
}

struct UntagQueueRequest: Decodable {
    var queueUrl: String?
    var tagKeys: [String]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", tagKeys = "TagKeys"
    }
}

extension JSONProtocolHandler {
    func tagQueue(_ request: TagQueueRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        guard let tags = request.tags, !tags.isEmpty else { throw EngineError.missingParameter("Tags") }
        try await engine.tagQueue(key, tags: tags)
        return Self.emptyOutput
    }

    func untagQueue(_ request: UntagQueueRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        guard let keys = request.tagKeys, !keys.isEmpty else { throw EngineError.missingParameter("TagKeys") }
        try await engine.untagQueue(key, keys: keys)
        return Self.emptyOutput
    }

    func listQueueTags(_ request: QueueURLRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let tags = try await engine.listQueueTags(context.queueKey(fromURL: required(request.queueUrl, "QueueUrl")))
        var writer = JSONWriter()
        writer.object { $0.member("Tags", tags) }
        return writer
    }
}
