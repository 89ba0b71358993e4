import SQSEngine

/// Delivers to SQS queues through the queue engine: the envelope (or the raw message with its
/// attributes), FIFO queues in order with the message group and deduplication ids, standard
/// queues with the message group id (fair queues) when the publisher gave one.
public struct QueueDelivery: DeliveryTransport {
    let engine: QueueEngine

    /// Creates the transport over the engine.
    public init(engine: QueueEngine) {
        self.engine = engine
    }

    public func deliver(_ delivery: DeliveryContext) async -> DeliveryAttemptResult {
        await send(delivery, to: delivery.subscription.endpoint, extra: [:])
    }

    /// Sends the delivery's body to a queue (the subscription's, or its dead-letter queue).
    func send(_ delivery: DeliveryContext, to queueArn: String, extra: [String: MessageAttributeValue]) async -> DeliveryAttemptResult {
        guard let parts = SNSArn.parts(queueArn), parts.count == 6, parts[2] == "sqs" else { return .failed("Invalid SQS queue ARN \(queueArn)") }
        let key = QueueKey(account: String(parts[4]), region: String(parts[3]), name: String(parts[5]))
        var input = SendMessageInput(body: delivery.envelope.body)
        if delivery.subscription.rawMessageDelivery && delivery.message.kind == .notification {
            input.attributes = delivery.message.attributes
        }
        input.attributes.merge(extra) { _, new in new }
        input.messageGroupID = delivery.message.messageGroupID
        if key.name.hasSuffix(".fifo") {
            input.deduplicationID = delivery.message.deduplicationID ?? MessageDigest.sha256Hex(of: input.body)
            if input.messageGroupID == nil { input.messageGroupID = delivery.message.topicArn }
        }
        do {
            let sent = try await engine.sendMessage(key, input, senderID: delivery.topic?.account ?? key.account)
            return .delivered("SQS message \(sent.messageID)")
        } catch {
            return .failed(error.message)
        }
    }
}
