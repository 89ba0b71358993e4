/// One durable change the engine asks the store to make.
///
/// The engine submits changes in the order it decided them; the store applies each submission
/// atomically and in submission order (it may commit several submissions in one transaction).
public enum StoreChange: Sendable, Equatable {
    /// Insert a new queue, or replace the queue with the same id (attributes, tags, timestamps).
    case saveQueue(QueueRecord)
    /// Delete a queue and all its messages; `sequences` are those of the messages it holds (the
    /// durable store finds a queue's messages only by sequence).
    case deleteQueue(queueID: Int64, sequences: [Int64])
    /// Insert a new message.
    case insertMessage(MessageRecord)
    /// Save the delivery state of an existing message.
    case updateDelivery(MessageDelivery)
    /// Delete one message.
    case deleteMessage(queueID: Int64, sequence: Int64)
    /// Delete every message of a queue; `sequences` are those of the messages it holds.
    case purgeMessages(queueID: Int64, sequences: [Int64])
    /// Remembers (or replaces) a FIFO deduplication id. Deleting the queue forgets its ids.
    case saveDeduplication(DeduplicationRecord)
    /// Forgets every deduplication id of one queue (PurgeQueue).
    case forgetDeduplications(queueID: Int64)
    /// Forgets every deduplication id of every queue that expired at or before the time.
    case deleteExpiredDeduplications(before: Timestamp)
    /// Saves (inserts or replaces, by task id) a message move task.
    case saveMoveTask(MoveTaskRecord)
    /// Moves a stored message to another queue under a new sequence (a dead-letter move or a move
    /// task): its content stays, its delivery state and FIFO fields become those given.
    case moveMessage(MessageMove)
    /// Deletes every queue, message, deduplication id and move task (a reset for test suites);
    /// the highest queue id and sequence stay, as ids only grow.
    case deleteEverything
}

/// Where and how a message moves: see ``StoreChange/moveMessage(_:)``.
public struct MessageMove: Sendable, Equatable {
    /// The queue the message is in now.
    public var fromQueueID: Int64
    /// Its sequence there.
    public var fromSequence: Int64
    /// The destination queue.
    public var queueID: Int64
    /// Its new sequence (a fresh one: sequences only grow).
    public var sequence: Int64
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
    /// See ``MessageRecord/deduplicationID``; `nil` keeps the stored one.
    public var deduplicationID: String?
    /// See ``MessageRecord/sequenceNumber`` (`nil` on a standard queue).
    public var sequenceNumber: String?
    /// See ``MessageRecord/deadLetterSourceArn``.
    public var deadLetterSourceArn: String?

    /// Creates a move of the message `from` to `metadata`'s queue and sequence with its delivery state.
    public init(from: (queueID: Int64, sequence: Int64), to metadata: MessageMetadata, deduplicationID: String?, sequenceNumber: String?) {
        fromQueueID = from.queueID
        fromSequence = from.sequence
        queueID = metadata.queueID
        sequence = metadata.sequence
        visibleAt = metadata.visibleAt
        receiveCount = metadata.receiveCount
        firstReceivedAt = metadata.firstReceivedAt
        lastReceivedAt = metadata.lastReceivedAt
        receiptToken = metadata.receiptToken
        messageGroupID = metadata.messageGroupID
        self.deduplicationID = deduplicationID
        self.sequenceNumber = sequenceNumber
        deadLetterSourceArn = metadata.deadLetterSourceArn
    }

    /// `record` as it is after the move.
    public func applied(to record: MessageRecord) -> MessageRecord {
        var moved = record
        moved.queueID = queueID
        moved.sequence = sequence
        moved.visibleAt = visibleAt
        moved.receiveCount = receiveCount
        moved.firstReceivedAt = firstReceivedAt
        moved.lastReceivedAt = lastReceivedAt
        moved.receiptToken = receiptToken
        moved.messageGroupID = messageGroupID
        if let deduplicationID { moved.deduplicationID = deduplicationID }
        moved.sequenceNumber = sequenceNumber
        moved.deadLetterSourceArn = deadLetterSourceArn
        return moved
    }
}

/// The part of a message that changes when it is received or its visibility changes.
public struct MessageDelivery: Sendable, Equatable {
    /// The owning queue.
    public var queueID: Int64
    /// The message's ``MessageRecord/sequence``.
    public var sequence: Int64
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

    /// The delivery state of `message`.
    public init(_ message: MessageMetadata) {
        queueID = message.queueID
        sequence = message.sequence
        visibleAt = message.visibleAt
        receiveCount = message.receiveCount
        firstReceivedAt = message.firstReceivedAt
        lastReceivedAt = message.lastReceivedAt
        receiptToken = message.receiptToken
    }

    /// The delivery state of `message`.
    public init(_ message: MessageRecord) {
        self.init(MessageMetadata(message))
    }
}
