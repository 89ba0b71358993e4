/// One durable change the engine asks the store to make.
///
/// The engine submits changes in the order it decided them; the store applies each submission
/// atomically and in submission order (it may commit several submissions in one transaction).
public enum StoreChange: Sendable, Equatable {
    /// Insert a new queue, or replace the queue with the same id (attributes, tags, timestamps).
    case saveQueue(QueueRecord)
    /// Delete a queue and all its messages.
    case deleteQueue(queueID: Int64)
    /// Insert a new message.
    case insertMessage(MessageRecord)
    /// Save the delivery state of an existing message.
    case updateDelivery(MessageDelivery)
    /// Delete one message.
    case deleteMessage(queueID: Int64, sequence: Int64)
    /// Delete every message of a queue.
    case purgeMessages(queueID: Int64)
    /// Remembers (or replaces) a FIFO deduplication id. Deleting the queue forgets its ids.
    case saveDeduplication(DeduplicationRecord)
    /// Forgets every deduplication id of every queue that expired at or before the time.
    case deleteExpiredDeduplications(before: Timestamp)
    /// Saves (inserts or replaces, by task id) a message move task.
    case saveMoveTask(MoveTaskRecord)
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
    public init(_ message: MessageRecord) {
        queueID = message.queueID
        sequence = message.sequence
        visibleAt = message.visibleAt
        receiveCount = message.receiveCount
        firstReceivedAt = message.firstReceivedAt
        lastReceivedAt = message.lastReceivedAt
        receiptToken = message.receiptToken
    }
}
