/// An SNS topic as stored: its ARN, the attributes set on it and its tags.
public struct Topic: Sendable, Codable, Equatable {
    public var arn: String
    public var name: String
    public var account: String
    public var region: String
    /// The attributes set by CreateTopic and SetTopicAttributes (not the computed ones).
    public var attributes: [String: String]
    public var tags: [String: String]
    /// Epoch milliseconds.
    public var createdAt: Int64

    /// Whether this is a FIFO topic (`FifoTopic=true`, a `.fifo` name).
    public var isFIFO: Bool { attributes["FifoTopic"] == "true" }

    /// Whether FIFO deduplication ids default to the body's SHA-256.
    public var contentBasedDeduplication: Bool { attributes["ContentBasedDeduplication"] == "true" }

    /// The topic's `DeliveryPolicy` for HTTP subscriptions (`{"http": {"defaultHealthyRetryPolicy": …}}`).
    var deliveryPolicy: String? { attributes["DeliveryPolicy"] }
}
