/// What the engine loads from a store at startup and after a failed commit: every queue and the
/// metadata of every message (no bodies), the high-water marks, deduplication ids and move tasks.
public struct WorkingSet: Sendable {
    /// All queues.
    public var queues: [QueueRecord]
    /// Every message's metadata, in ascending ``MessageMetadata/sequence`` order.
    public var messages: [MessageMetadata]
    /// See ``StoreSnapshot/highestQueueID``.
    public var highestQueueID: Int64
    /// See ``StoreSnapshot/highestSequence``.
    public var highestSequence: Int64
    /// See ``StoreSnapshot/deduplications``.
    public var deduplications: [DeduplicationRecord]
    /// See ``StoreSnapshot/moveTasks``.
    public var moveTasks: [MoveTaskRecord]

    /// Creates a working set.
    public init(
        queues: [QueueRecord] = [], messages: [MessageMetadata] = [], highestQueueID: Int64 = 0, highestSequence: Int64 = 0,
        deduplications: [DeduplicationRecord] = [], moveTasks: [MoveTaskRecord] = []
    ) {
        self.queues = queues
        self.messages = messages
        self.highestQueueID = highestQueueID
        self.highestSequence = highestSequence
        self.deduplications = deduplications
        self.moveTasks = moveTasks
    }

    /// The working set of a full snapshot.
    public init(_ snapshot: StoreSnapshot) {
        self.init(
            queues: snapshot.queues, messages: snapshot.messages.map(MessageMetadata.init), highestQueueID: snapshot.highestQueueID,
            highestSequence: snapshot.highestSequence, deduplications: snapshot.deduplications, moveTasks: snapshot.moveTasks)
    }
}
