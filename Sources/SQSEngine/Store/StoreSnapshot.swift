/// Everything a store holds, as loaded at startup.
public struct StoreSnapshot: Sendable {
    /// All queues.
    public var queues: [QueueRecord]
    /// All messages of all queues, in ascending ``MessageRecord/sequence`` order.
    public var messages: [MessageRecord]
    /// The highest ``QueueRecord/id`` ever saved (also of deleted queues), 0 if none: ids are never reused.
    public var highestQueueID: Int64
    /// At least the highest ``MessageRecord/sequence`` ever saved (also of deleted messages), 0 if
    /// none: sequences continue above it. A store may save it ahead (SQLite does, by a block), so
    /// sequences after a restart can leave a gap.
    public var highestSequence: Int64
    /// Every remembered FIFO deduplication id (expired ones may be included).
    public var deduplications: [DeduplicationRecord]
    /// Every message move task, in the order they were started.
    public var moveTasks: [MoveTaskRecord]

    /// Creates a snapshot.
    public init(
        queues: [QueueRecord] = [], messages: [MessageRecord] = [], highestQueueID: Int64 = 0, highestSequence: Int64 = 0,
        deduplications: [DeduplicationRecord] = [], moveTasks: [MoveTaskRecord] = []
    ) {
        self.queues = queues
        self.messages = messages
        self.highestQueueID = highestQueueID
        self.highestSequence = highestSequence
        self.deduplications = deduplications
        self.moveTasks = moveTasks
    }
}
