/// A message with everything SQS remembers about it: content, digests, and delivery state.
///
/// This is the unit the store persists. The engine owns the rules that change ``visibleAt``,
/// ``receiveCount`` and ``receiptToken``; the store only saves them.
public struct MessageRecord: Sendable, Equatable {
    /// The owning queue's ``QueueRecord/id``.
    public var queueID: Int64
    /// Engine-wide increasing number: the message's position (and its key in the store).
    public var sequence: Int64
    /// The SQS MessageId (a lower-case UUID).
    public var messageID: String
    /// The message body.
    public var body: String
    /// User message attributes.
    public var attributes: [String: MessageAttributeValue]
    /// Message system attributes given on send (AWSTraceHeader).
    public var systemAttributes: [String: MessageAttributeValue]
    /// Hex MD5 of the body.
    public var md5OfBody: String
    /// Hex MD5 of the message attributes, `nil` when there are none.
    public var md5OfAttributes: String?
    /// Hex MD5 of the message system attributes, `nil` when there are none.
    public var md5OfSystemAttributes: String?
    /// The SenderId system attribute.
    public var senderID: String
    /// When the message was sent (SentTimestamp).
    public var sentAt: Timestamp
    /// The earliest time the message can be received (after its delay or visibility timeout).
    public var visibleAt: Timestamp
    /// How many times the message has been received (ApproximateReceiveCount).
    public var receiveCount: Int
    /// The first receive (ApproximateFirstReceiveTimestamp).
    public var firstReceivedAt: Timestamp?
    /// The latest receive, from which the 12-hour visibility ceiling is counted.
    public var lastReceivedAt: Timestamp?
    /// A random number identifying the latest receive; receipt handles carry it.
    public var receiptToken: UInt64
    /// FIFO or fair-queue message group.
    public var messageGroupID: String?
    /// FIFO deduplication id.
    public var deduplicationID: String?
    /// FIFO sequence number.
    public var sequenceNumber: String?
    /// The queue the message was moved from by a redrive policy (DeadLetterQueueSourceArn).
    public var deadLetterSourceArn: String?

    /// Creates a message record.
    public init(
        queueID: Int64, sequence: Int64, messageID: String, body: String,
        attributes: [String: MessageAttributeValue], systemAttributes: [String: MessageAttributeValue],
        md5OfBody: String, md5OfAttributes: String?, md5OfSystemAttributes: String?, senderID: String,
        sentAt: Timestamp, visibleAt: Timestamp, receiveCount: Int = 0, firstReceivedAt: Timestamp? = nil,
        lastReceivedAt: Timestamp? = nil, receiptToken: UInt64 = 0, messageGroupID: String? = nil,
        deduplicationID: String? = nil, sequenceNumber: String? = nil, deadLetterSourceArn: String? = nil
    ) {
        self.queueID = queueID
        self.sequence = sequence
        self.messageID = messageID
        self.body = body
        self.attributes = attributes
        self.systemAttributes = systemAttributes
        self.md5OfBody = md5OfBody
        self.md5OfAttributes = md5OfAttributes
        self.md5OfSystemAttributes = md5OfSystemAttributes
        self.senderID = senderID
        self.sentAt = sentAt
        self.visibleAt = visibleAt
        self.receiveCount = receiveCount
        self.firstReceivedAt = firstReceivedAt
        self.lastReceivedAt = lastReceivedAt
        self.receiptToken = receiptToken
        self.messageGroupID = messageGroupID
        self.deduplicationID = deduplicationID
        self.sequenceNumber = sequenceNumber
        self.deadLetterSourceArn = deadLetterSourceArn
    }
}
