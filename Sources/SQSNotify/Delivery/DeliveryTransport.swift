/// Everything one delivery attempt needs: the message, the subscription, its topic, and the
/// envelope built for them.
public struct DeliveryContext: Sendable {
    public var record: DeliveryRecord
    public var message: PublishedMessage
    public var subscription: Subscription
    public var topic: Topic?
    let envelope: Envelope
}

/// How one attempt ended.
public enum DeliveryAttemptResult: Sendable, Equatable {
    /// Delivered; the text says what the endpoint answered.
    case delivered(String)
    /// Failed; the text says why. The retry policy decides what happens next.
    case failed(String)
}

/// Delivers messages for one kind of subscription: SQS queues, functions, HTTP endpoints, the mailbox.
public protocol DeliveryTransport: Sendable {
    /// Makes one attempt.
    func deliver(_ delivery: DeliveryContext) async -> DeliveryAttemptResult
}

