import SNSFilterPolicy

/// An SNS subscription as stored.
public struct Subscription: Sendable, Codable, Equatable {
    public var arn: String
    public var topicArn: String
    public var `protocol`: SubscriptionProtocol
    public var endpoint: String
    public var owner: String
    /// The attributes set by Subscribe and SetSubscriptionAttributes (RawMessageDelivery,
    /// FilterPolicy, FilterPolicyScope, RedrivePolicy, DeliveryPolicy, SubscriptionRoleArn).
    public var attributes: [String: String]
    /// Whether the endpoint has yet to confirm (HTTP and email subscriptions).
    public var pendingConfirmation: Bool
    /// The confirmation token sent in the SubscriptionConfirmation message.
    public var token: String
    /// Epoch milliseconds.
    public var createdAt: Int64

    /// Whether the message is delivered as it was published, without the JSON envelope.
    public var rawMessageDelivery: Bool { attributes["RawMessageDelivery"] == "true" }

    /// The filter policy's scope (`MessageAttributes` by default).
    public var filterPolicyScope: String { attributes["FilterPolicyScope"] ?? "MessageAttributes" }

    /// The ARN of the SQS queue failed deliveries go to (`RedrivePolicy.deadLetterTargetArn`).
    public var deadLetterTargetArn: String? {
        guard let policy = attributes["RedrivePolicy"], case .object(let members)? = PolicyJSON.parse(policy) else { return nil }
        return members.last { $0.key == "deadLetterTargetArn" }.flatMap { if case .string(let arn) = $0.value { arn } else { nil } }
    }
}
