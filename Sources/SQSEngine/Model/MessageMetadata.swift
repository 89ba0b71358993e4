import FoundationEssentials

/// What the engine keeps in memory of a message: what scheduling needs, not its content.
///
/// The body, attributes, digests and sender stay in the store and are read back (with
/// ``QueueStore/fetchMessages(queueID:sequences:)``) only when a receive, a peek or the admin page
/// returns the message; so memory grows with the number of messages, not their size.
public struct MessageMetadata: Sendable, Equatable {
    /// The owning queue's ``QueueRecord/id``.
    public var queueID: Int64
    /// See ``MessageRecord/sequence``.
    public var sequence: Int64
    /// The SQS MessageId, kept as 16 bytes (sqslite's ids are lower-case UUIDs).
    public var messageID: UUID
    /// See ``MessageRecord/sentAt``.
    public var sentAt: Timestamp
    /// See ``MessageRecord/visibleAt``.
    public var visibleAt: Timestamp
    /// See ``MessageRecord/receiveCount``.
    public var receiveCount: Int
    /// See ``MessageRecord/firstReceivedAt``.
    public var firstReceivedAt: Timestamp?
    /// See ``MessageRecord/lastReceivedAt``.
    public var lastReceivedAt: Timestamp?
    /// See ``MessageRecord/receiptToken``.
    public var receiptToken: UInt64
    /// See ``MessageRecord/messageGroupID``.
    public var messageGroupID: String?
    /// See ``MessageRecord/deadLetterSourceArn``.
    public var deadLetterSourceArn: String?

    /// Creates metadata.
    public init(
        queueID: Int64, sequence: Int64, messageID: UUID, sentAt: Timestamp, visibleAt: Timestamp, receiveCount: Int = 0,
        firstReceivedAt: Timestamp? = nil, lastReceivedAt: Timestamp? = nil, receiptToken: UInt64 = 0,
        messageGroupID: String? = nil, deadLetterSourceArn: String? = nil
    ) {
        self.queueID = queueID
        self.sequence = sequence
        self.messageID = messageID
        self.sentAt = sentAt
        self.visibleAt = visibleAt
        self.receiveCount = receiveCount
        self.firstReceivedAt = firstReceivedAt
        self.lastReceivedAt = lastReceivedAt
        self.receiptToken = receiptToken
        self.messageGroupID = messageGroupID
        self.deadLetterSourceArn = deadLetterSourceArn
    }

    /// The metadata of a full record. A MessageId that is not a UUID (never written by sqslite)
    /// maps to the nil UUID; the store keeps the real one.
    public init(_ record: MessageRecord) {
        self.init(
            queueID: record.queueID, sequence: record.sequence, messageID: UUID(uuidString: record.messageID) ?? Self.nilID,
            sentAt: record.sentAt, visibleAt: record.visibleAt, receiveCount: record.receiveCount,
            firstReceivedAt: record.firstReceivedAt, lastReceivedAt: record.lastReceivedAt, receiptToken: record.receiptToken,
            messageGroupID: record.messageGroupID, deadLetterSourceArn: record.deadLetterSourceArn)
    }

    /// The MessageId as SQS writes it (lower case).
    public var messageIDString: String { messageID.uuidString.lowercased() }

    public static let nilID = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
}

extension MessageRecord {
    /// This record with the delivery state of `metadata` (the engine's, which is authoritative).
    func with(_ metadata: MessageMetadata) -> MessageRecord {
        var record = self
        record.visibleAt = metadata.visibleAt
        record.receiveCount = metadata.receiveCount
        record.firstReceivedAt = metadata.firstReceivedAt
        record.lastReceivedAt = metadata.lastReceivedAt
        record.receiptToken = metadata.receiptToken
        return record
    }
}
