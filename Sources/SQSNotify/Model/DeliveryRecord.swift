/// One pending delivery: a message on its way to one subscription.
public struct DeliveryRecord: Sendable, Equatable {
    /// The row id; deliveries of one subscription are made in id order when order matters.
    public var id: Int64
    public var messageID: String
    public var subscriptionArn: String
    /// Failed attempts so far.
    public var attempts: Int
    /// Epoch milliseconds of the next attempt.
    public var nextAttemptAt: Int64
}

/// A finished delivery, for the admin page's "recent deliveries".
public struct DeliveryLogEntry: Sendable, Equatable, Codable {
    /// How it ended.
    public enum Status: String, Sendable, Codable {
        /// Delivered.
        case delivered
        /// Every attempt failed; moved to the subscription's dead-letter queue.
        case deadLettered = "dead-lettered"
        /// Every attempt failed and there is no dead-letter queue: the message is dropped, as SNS drops it.
        case failed
        /// The subscription went away before the delivery.
        case dropped
    }

    public var time: Int64
    public var messageID: String
    public var topicArn: String
    public var subscriptionArn: String
    public var `protocol`: String
    public var endpoint: String
    public var status: Status
    public var attempts: Int
    /// The last error, or what the endpoint answered.
    public var detail: String
}
