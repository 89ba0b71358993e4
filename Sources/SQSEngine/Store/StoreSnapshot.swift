/// Everything a store holds, as loaded at startup.
public struct StoreSnapshot: Sendable {
    /// All queues.
    public var queues: [QueueRecord]
    /// All messages of all queues, in ascending ``MessageRecord/sequence`` order.
    public var messages: [MessageRecord]
    /// The highest ``QueueRecord/id`` ever saved (also of deleted queues), 0 if none: ids are never reused.
    public var highestQueueID: Int64
    /// The highest ``MessageRecord/sequence`` ever saved (also of deleted messages), 0 if none.
    public var highestSequence: Int64

    /// Creates a snapshot.
    public init(queues: [QueueRecord] = [], messages: [MessageRecord] = [], highestQueueID: Int64 = 0, highestSequence: Int64 = 0) {
        self.queues = queues
        self.messages = messages
        self.highestQueueID = highestQueueID
        self.highestSequence = highestSequence
    }
}
