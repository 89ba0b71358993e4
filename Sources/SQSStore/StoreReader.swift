import Logging
import SQSEngine

/// Reads messages on demand (for receives, peeks and the admin page) over its own read-only
/// connection, so reads never wait behind a commit and never block the writer.
///
/// Lives on ``SQLiteQueueStore``'s reader queue and is never shared, so it is not `Sendable`. In WAL
/// mode a read sees every transaction committed before it starts: a message whose insert or delivery
/// update has been acknowledged is read as acknowledged.
final class StoreReader {
    private let connection: SQLiteConnection

    /// Opens a read-only connection to the database at `path` (which the writer has created and migrated).
    init(path: String) throws {
        connection = try SQLiteConnection(path: path, readOnly: true)
    }

    /// Reads on an existing connection (the writer's, for a private in-memory database).
    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    /// The full records of a queue's messages, in the order of `sequences`; missing ones are left out.
    func fetchMessages(queueID: Int64, sequences: [Int64]) throws -> [MessageRecord] {
        let statement = try connection.cachedStatement(
            "SELECT \(MessageRows.fullColumns) FROM \(MessageRows.source) WHERE m.sequence = ?1 AND m.queue_id = ?2")
        var records: [MessageRecord] = []
        records.reserveCapacity(sequences.count)
        for sequence in sequences {
            try statement.bind(sequence, at: 1)
            try statement.bind(queueID, at: 2)
            defer { statement.reset() }
            if try statement.step() {
                records.append(try MessageRows.full(statement))
            }
        }
        return records
    }


    /// Finalizes the statements and closes the connection (not when it is the writer's).
    func close(ownsConnection: Bool) {
        if ownsConnection {
            connection.close()
        }
    }
}

@available(*, unavailable)
extension StoreReader: Sendable {}
