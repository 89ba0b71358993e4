import SQSEngine

// TagQueue, UntagQueue and ListQueueTags.

struct TagQueueRequest: Decodable, Sendable {
    var queueUrl: String?
    var tags: [String: String]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", tags = "Tags"
    }
}

struct UntagQueueRequest: Decodable, Sendable {
    var queueUrl: String?
    var tagKeys: [String]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", tagKeys = "TagKeys"
    }
}

extension SQSDispatcher {
    func tagQueue(_ request: TagQueueRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        guard let tags = request.tags, !tags.isEmpty else { throw EngineError.missingParameter("Tags") }
        try await engine.tagQueue(key, tags: tags)
        return .empty
    }

    func untagQueue(_ request: UntagQueueRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        guard let keys = request.tagKeys, !keys.isEmpty else { throw EngineError.missingParameter("TagKeys") }
        try await engine.untagQueue(key, keys: keys)
        return .empty
    }

    func listQueueTags(_ request: QueueURLRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let tags = try await engine.listQueueTags(context.queueKey(fromURL: required(request.queueUrl, "QueueUrl")))
        return .tags(tags)
    }
}
