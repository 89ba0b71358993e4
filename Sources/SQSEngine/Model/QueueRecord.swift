/// A queue as the store keeps it: identity, attributes as SQS spells them, tags and timestamps.
public struct QueueRecord: Sendable, Equatable {
    /// A number unique for the life of the database, never reused (a re-created queue gets a new id).
    public var id: Int64
    /// Account, region and name.
    public var key: QueueKey
    /// Settable attributes by their SQS names, values as SQS returns them (strings).
    public var attributes: [String: String]
    /// Cost-allocation tags.
    public var tags: [String: String]
    /// When the queue was created.
    public var createdAt: Timestamp
    /// When the queue's attributes last changed.
    public var modifiedAt: Timestamp
    /// When the queue was last purged (purges are allowed once per 60 s).
    public var lastPurgedAt: Timestamp?

    /// Creates a queue record.
    public init(
        id: Int64, key: QueueKey, attributes: [String: String], tags: [String: String],
        createdAt: Timestamp, modifiedAt: Timestamp, lastPurgedAt: Timestamp? = nil
    ) {
        self.id = id
        self.key = key
        self.attributes = attributes
        self.tags = tags
        self.createdAt = createdAt
        self.modifiedAt = modifiedAt
        self.lastPurgedAt = lastPurgedAt
    }
}
