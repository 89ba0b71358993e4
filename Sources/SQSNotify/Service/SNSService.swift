import FoundationEssentials
import SQSEngine
import SQSProtocol

/// The SNS API over an ``SNSStore``: topics, subscriptions, publishing, tags, with SNS's
/// validation and error wording. Accepted messages go to the ``DeliveryScheduler``.
///
/// Transport-free: ``SNSQueryHandler`` decodes Query requests into these calls and writes their
/// answers as XML.
public struct SNSService: Sendable {
    let store: SNSStore
    let scheduler: DeliveryScheduler
    /// The server's URL, for SubscribeURL and UnsubscribeURL.
    public let links: SNSLinks
    let clock: any EngineClock

    /// Creates the service.
    public init(store: SNSStore, scheduler: DeliveryScheduler, links: SNSLinks, clock: any EngineClock) {
        self.store = store
        self.scheduler = scheduler
        self.links = links
        self.clock = clock
    }

    // MARK: - Topics

    /// CreateTopic: idempotent for the same name and attributes.
    public func createTopic(name: String, attributes: [String: String], tags: [String: String], context: RequestContext) async throws(SNSError)
        -> String
    {
        var attributes = attributes
        let fifoRequested = attributes["FifoTopic"]?.lowercased() == "true"
        if fifoRequested {
            guard name.hasSuffix(".fifo"), Self.validTopicName(String(name.dropLast(5))) else {
                throw SNSError(
                    .invalidParameter,
                    "Fifo Topic names must end with .fifo and must be made up of only uppercase and lowercase ASCII letters, numbers, underscores, and hyphens, and must be between 1 and 256 characters long."
                )
            }
            attributes["FifoTopic"] = "true"
        } else {
            guard Self.validTopicName(name) else { throw .invalidParameter("Topic Name") }
            attributes["FifoTopic"] = nil
        }
        for (key, value) in attributes where key != "FifoTopic" {
            try SNSAttributeRules.validateTopicAttribute(key, value, isFIFO: fifoRequested, prefix: "Attributes Reason: ")
        }
        if let value = attributes["ContentBasedDeduplication"] { attributes["ContentBasedDeduplication"] = value.lowercased() }
        try Self.validateTags(tags)
        let arn = SNSArn.topic(region: context.region, account: context.account, name: name)
        let now = clock.now().milliseconds
        let requested = attributes
        return try await store.perform { state, database in
            if let existing = state.topics[arn] {
                for (key, value) in requested where existing.attributes[key] != value {
                    throw SNSError.invalidParameter("Attributes Reason: Topic already exists with different attributes")
                }
                for (key, value) in tags where existing.tags[key] != value {
                    throw SNSError.invalidParameter("Tags Reason: Topic already exists with different tags")
                }
                return arn
            }
            let topic = Topic(
                arn: arn, name: name, account: context.account, region: context.region, attributes: requested, tags: tags, createdAt: now)
            try database.save(topic)
            state.topics[arn] = topic
            return arn
        }
    }

    /// DeleteTopic: removes the topic and its subscriptions; a missing topic is not an error.
    public func deleteTopic(arn: String) async throws(SNSError) {
        try SNSArn.validate(arn, parameter: "TopicArn")
        try await store.perform { state, database in
            guard state.topics[arn] != nil else { return }
            try database.deleteTopic(arn)
            state.topics[arn] = nil
            for subscription in state.subscriptions(of: arn) {
                state.subscriptions[subscription.arn] = nil
                state.filters[subscription.arn] = nil
            }
            state.deletedSubscriptions[arn] = nil
        }
    }

    /// ListTopics: the caller's topics in its region, 100 per page.
    public func listTopics(nextToken: String?, context: RequestContext) async throws(SNSError) -> (arns: [String], nextToken: String?) {
        let arns = try await store.perform { state, _ in
            state.topics.values.filter { $0.account == context.account && $0.region == context.region }.map(\.arn).sorted()
        }
        return try Self.page(arns, nextToken: nextToken, key: { $0 })
    }

    /// GetTopicAttributes: the attributes set plus the computed ones.
    public func topicAttributes(arn: String) async throws(SNSError) -> [String: String] {
        try SNSArn.validate(arn, parameter: "TopicArn")
        return try await store.perform { state, _ in
            guard let topic = state.topics[arn] else { throw SNSError.topicNotFound }
            let subscriptions = state.subscriptions(of: arn)
            var result = topic.attributes
            result["TopicArn"] = arn
            result["Owner"] = topic.account
            result["Policy"] = topic.attributes["Policy"] ?? Self.defaultPolicy(topic)
            result["DisplayName"] = topic.attributes["DisplayName"] ?? ""
            result["SubscriptionsConfirmed"] = String(subscriptions.filter { !$0.pendingConfirmation }.count)
            result["SubscriptionsPending"] = String(subscriptions.filter(\.pendingConfirmation).count)
            result["SubscriptionsDeleted"] = String(state.deletedSubscriptions[arn] ?? 0)
            let delivery = topic.deliveryPolicy.flatMap { try? HTTPDeliveryPolicy(topicPolicy: $0) } ?? .default
            result["EffectiveDeliveryPolicy"] = delivery.effectiveTopicPolicy
            if topic.isFIFO {
                result["FifoTopic"] = "true"
                result["ContentBasedDeduplication"] = topic.attributes["ContentBasedDeduplication"] ?? "false"
            }
            return result
        }
    }

    /// SetTopicAttributes.
    public func setTopicAttribute(arn: String, name: String, value: String) async throws(SNSError) {
        try SNSArn.validate(arn, parameter: "TopicArn")
        try await store.perform { state, database in
            guard var topic = state.topics[arn] else { throw SNSError.topicNotFound }
            try SNSAttributeRules.validateTopicAttribute(name, value, isFIFO: topic.isFIFO, prefix: "")
            topic.attributes[name] = name == "ContentBasedDeduplication" ? value.lowercased() : value
            try database.save(topic)
            state.topics[arn] = topic
        }
    }

    // MARK: - Helpers

    /// 1 to 256 ASCII letters, digits, `_` and `-`.
    static func validTopicName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= SNSLimits.maximumTopicNameLength
            && name.utf8.allSatisfy { $0.isASCIILetterOrDigit || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-") }
    }

    static func defaultPolicy(_ topic: Topic) -> String {
        let actions = [
            "SNS:GetTopicAttributes", "SNS:SetTopicAttributes", "SNS:AddPermission", "SNS:RemovePermission", "SNS:DeleteTopic", "SNS:Subscribe",
            "SNS:ListSubscriptionsByTopic", "SNS:Publish",
        ].map { "\"\($0)\"" }.joined(separator: ",")
        return #"{"Version":"2008-10-17","Id":"__default_policy_ID","Statement":[{"Sid":"__default_statement_ID","Effect":"Allow","Principal":{"AWS":"*"},"Action":[\#(actions)],"Resource":"\#(topic.arn)","Condition":{"StringEquals":{"AWS:SourceOwner":"\#(topic.account)"}}}]}"#
    }

    /// A page of `items` after the item `nextToken` names (base64 of the last key of the
    /// previous page).
    static func page<T>(_ items: [T], nextToken: String?, key: (T) -> String) throws(SNSError) -> ([T], String?) {
        var start = 0
        if let nextToken, !nextToken.isEmpty {
            guard let data = Data(base64Encoded: nextToken), let after = String(data: data, encoding: .utf8) else {
                throw .invalidParameter("NextToken")
            }
            start = items.firstIndex { key($0) > after } ?? items.count
        }
        let end = min(items.count, start + SNSLimits.pageSize)
        let page = Array(items[start..<end])
        let token = end < items.count ? page.last.map { Data(key($0).utf8).base64EncodedString() } : nil
        return (page, token)
    }

    static func validateTags(_ tags: [String: String]) throws(SNSError) {
        guard tags.count <= SNSLimits.maximumTags else {
            throw SNSError(.tagLimitExceeded, "Could not complete request: tag quota of per resource exceeded")
        }
        for (key, value) in tags {
            guard !key.isEmpty, key.count <= 128 else { throw .invalidParameter("Tags Reason: Tag key must be between 1 and 128 characters") }
            guard value.count <= 256 else { throw .invalidParameter("Tags Reason: Tag value must be at most 256 characters") }
        }
    }
}

extension UInt8 {
    var isASCIILetterOrDigit: Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self)
    }
}
