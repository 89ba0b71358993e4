import SQSEngine

/// A message accepted by Publish (or a subscription confirmation), as kept until every
/// delivery of it is done.
public struct PublishedMessage: Sendable, Codable, Equatable {
    /// `Notification`, `SubscriptionConfirmation` or `UnsubscribeConfirmation`.
    public enum Kind: String, Sendable, Codable {
        case notification = "Notification"
        case subscriptionConfirmation = "SubscriptionConfirmation"
        case unsubscribeConfirmation = "UnsubscribeConfirmation"
    }

    public var kind: Kind
    public var id: String
    public var topicArn: String
    public var subject: String?
    /// The message (the `default` entry when MessageStructure is `json`).
    public var message: String
    /// Per-protocol messages (MessageStructure `json`): protocol name → message.
    public var perProtocol: [String: String]?
    public var attributes: [String: MessageAttributeValue]
    public var messageGroupID: String?
    public var deduplicationID: String?
    public var sequenceNumber: String?
    /// Epoch milliseconds.
    public var timestamp: Int64
    /// The confirmation token (confirmation messages).
    public var token: String?

    /// The message text for a protocol: its own entry of a `json` structure, or the default.
    public func content(for protocolName: String) -> String {
        perProtocol?[protocolName] ?? message
    }
}
