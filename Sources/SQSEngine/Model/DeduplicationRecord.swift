/// A FIFO deduplication id remembered for the 5-minute window, even after its message is deleted.
public struct DeduplicationRecord: Sendable, Equatable {
    /// The FIFO queue.
    public var queueID: Int64
    /// The message group for `DeduplicationScope=messageGroup`; empty for `queue` scope.
    public var scope: String
    /// The `MessageDeduplicationId` (or the SHA-256 of the body with content-based deduplication).
    public var deduplicationID: String
    /// The id of the message first sent with it, returned again for duplicates.
    public var messageID: String
    /// That message's sequence number.
    public var sequenceNumber: String
    /// When the id is forgotten (first send + 5 minutes).
    public var expiresAt: Timestamp

    /// Creates a record.
    public init(queueID: Int64, scope: String, deduplicationID: String, messageID: String, sequenceNumber: String, expiresAt: Timestamp) {
        self.queueID = queueID
        self.scope = scope
        self.deduplicationID = deduplicationID
        self.messageID = messageID
        self.sequenceNumber = sequenceNumber
        self.expiresAt = expiresAt
    }
}
