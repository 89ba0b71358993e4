extension SNSService {
    /// ListTagsForResource.
    public func tags(of arn: String) async throws(SNSError) -> [String: String] {
        try SNSArn.validate(arn, parameter: "ResourceArn")
        return try await store.perform { state, _ in
            guard let topic = state.topics[arn] else { throw SNSError.resourceNotFound }
            return topic.tags
        }
    }

    /// TagResource: adds or replaces tags, up to 50 on the topic.
    public func tag(_ arn: String, tags: [String: String]) async throws(SNSError) {
        try SNSArn.validate(arn, parameter: "ResourceArn")
        try Self.validateTags(tags)
        try await store.perform { state, database in
            guard var topic = state.topics[arn] else { throw SNSError.resourceNotFound }
            topic.tags.merge(tags) { _, new in new }
            try Self.validateTags(topic.tags)
            try database.save(topic)
            state.topics[arn] = topic
        }
    }

    /// UntagResource.
    public func untag(_ arn: String, keys: [String]) async throws(SNSError) {
        try SNSArn.validate(arn, parameter: "ResourceArn")
        try await store.perform { state, database in
            guard var topic = state.topics[arn] else { throw SNSError.resourceNotFound }
            for key in keys { topic.tags[key] = nil }
            try database.save(topic)
            state.topics[arn] = topic
        }
    }
}
