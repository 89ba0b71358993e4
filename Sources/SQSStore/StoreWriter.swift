import Logging
import SQSEngine

/// Everything that touches the SQLite connection: applies submissions in transactions and loads
/// the snapshot. Lives on ``SQLiteQueueStore``'s serial writer queue and is never shared, so it
/// is not `Sendable`.
final class StoreWriter {
    /// One `submit` call: its changes and the completion to call with their result.
    struct Submission: Sendable {
        var changes: [StoreChange]
        var completion: @Sendable (Result<Void, any Error>) -> Void
        /// The thread to run `completion` on (see ``SubmitterThreads``), or `nil` for the writer.
        var home: (any AnyObject & Sendable)?
    }

    /// The highest ids ever saved, as kept in `store_meta`.
    private struct HighWaterMarks: Equatable {
        var queueID: Int64 = 0
        var sequence: Int64 = 0
    }

    /// The hot statements, prepared once after migration and reused for every change.
    private struct Statements {
        let begin: SQLiteStatement
        let commit: SQLiteStatement
        let saveQueue: SQLiteStatement
        let deleteQueue: SQLiteStatement
        let insertBody: SQLiteStatement
        let insertMessage: SQLiteStatement
        let updateDelivery: SQLiteStatement
        let deleteMessage: SQLiteStatement
        let updateMeta: SQLiteStatement
        let saveDeduplication: SQLiteStatement
        let deleteExpiredDeduplications: SQLiteStatement
        let deleteQueueDeduplications: SQLiteStatement
        let saveMoveTask: SQLiteStatement
        let moveMessage: SQLiteStatement

        init(_ connection: SQLiteConnection) throws(SQLiteError) {
            begin = try connection.cachedStatement("BEGIN IMMEDIATE")
            commit = try connection.cachedStatement("COMMIT")
            saveQueue = try connection.cachedStatement(
                """
                INSERT INTO queues (id, account, region, name, attributes, tags, created_at, modified_at, last_purged_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                ON CONFLICT (id) DO UPDATE SET
                    account = excluded.account, region = excluded.region, name = excluded.name,
                    attributes = excluded.attributes, tags = excluded.tags, created_at = excluded.created_at,
                    modified_at = excluded.modified_at, last_purged_at = excluded.last_purged_at
                """)
            deleteQueue = try connection.cachedStatement("DELETE FROM queues WHERE id = ?1")
            insertBody = try connection.cachedStatement(
                """
                INSERT INTO message_bodies (
                    id, message_id, body, attributes, system_attributes, md5_of_body, md5_of_attributes,
                    md5_of_system_attributes, sender_id)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                """)
            insertMessage = try connection.cachedStatement(
                """
                INSERT INTO messages (
                    queue_id, sequence, body_id, sent_at, visible_at, receive_count, first_received_at, last_received_at,
                    receipt_token, message_group_id, deduplication_id, sequence_number, dead_letter_source_arn)
                VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                """)
            updateDelivery = try connection.cachedStatement(
                """
                UPDATE messages SET visible_at = ?3, receive_count = ?4, first_received_at = ?5,
                    last_received_at = ?6, receipt_token = ?7
                WHERE sequence = ?2 AND queue_id = ?1
                """)
            deleteMessage = try connection.cachedStatement("DELETE FROM messages WHERE sequence = ?2 AND queue_id = ?1")
            updateMeta = try connection.cachedStatement("UPDATE store_meta SET highest_queue_id = ?1, highest_sequence = ?2 WHERE id = 1")
            saveDeduplication = try connection.cachedStatement(
                """
                INSERT INTO deduplications (queue_id, scope, deduplication_id, message_id, sequence_number, expires_at)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6)
                ON CONFLICT (queue_id, scope, deduplication_id) DO UPDATE SET
                    message_id = excluded.message_id, sequence_number = excluded.sequence_number, expires_at = excluded.expires_at
                """)
            deleteExpiredDeduplications = try connection.cachedStatement("DELETE FROM deduplications WHERE expires_at <= ?1")
            deleteQueueDeduplications = try connection.cachedStatement("DELETE FROM deduplications WHERE queue_id = ?1")
            // Changes the row's key (the sequence is the rowid): the content row stays where it is.
            moveMessage = try connection.cachedStatement(
                """
                UPDATE messages SET queue_id = ?3, sequence = ?4, visible_at = ?5, receive_count = ?6, first_received_at = ?7,
                    last_received_at = ?8, receipt_token = ?9, message_group_id = ?10,
                    deduplication_id = COALESCE(?11, deduplication_id), sequence_number = ?12, dead_letter_source_arn = ?13
                WHERE sequence = ?2 AND queue_id = ?1
                """)
            saveMoveTask = try connection.cachedStatement(
                """
                INSERT INTO move_tasks (task_id, source_arn, destination_arn, max_per_second, status, started_at, moved, to_move, failure_reason)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                ON CONFLICT (task_id) DO UPDATE SET
                    source_arn = excluded.source_arn, destination_arn = excluded.destination_arn,
                    max_per_second = excluded.max_per_second, status = excluded.status, started_at = excluded.started_at,
                    moved = excluded.moved, to_move = excluded.to_move, failure_reason = excluded.failure_reason
                """)
        }
    }

    let connection: SQLiteConnection
    /// Checkpoints the WAL off the writer (file databases only).
    let checkpointer: WALCheckpointer?
    private let statements: Statements
    private let logger: Logger
    /// Whether ``close()`` ran: the connection is gone.
    private var isClosed = false
    /// What `store_meta` holds as of the last commit: the highest queue id, and a sequence at or
    /// above every one handed out (see ``sequenceReservation``).
    private var committedMarks: HighWaterMarks
    /// `committedMarks` plus the changes of the open transaction.
    private var transactionMarks: HighWaterMarks

    /// Opens the database, migrates its schema and prepares the hot statements.
    init(path: String?, synchronous: SQLiteQueueStore.Synchronous, logger: Logger) throws {
        self.logger = logger
        let connection = try SQLiteConnection(path: path, synchronous: synchronous)
        try SchemaMigrator().migrate(connection, logger: logger)
        self.connection = connection
        statements = try Statements(connection)
        let marks = try Self.readMarks(connection)
        committedMarks = marks
        transactionMarks = marks
        if let path {
            let checkpointer = try WALCheckpointer(path: path, synchronous: synchronous, logger: logger)
            checkpointer.install(on: connection)
            self.checkpointer = checkpointer
        } else {
            checkpointer = nil
        }
    }

    // MARK: Group commit

    /// Applies `batch` in order and returns one result per submission.
    ///
    /// First all submissions go into one transaction. If that fails, it is rolled back and the
    /// submissions are retried one by one in their own transactions until one fails: those before
    /// it commit, it and every later one fail (a later one may depend on it, so it is not applied;
    /// it fails with ``SQLiteStoreError/afterFailure``).
    /// `committedTransaction` is called once per successful COMMIT.
    func commit(_ batch: ArraySlice<Submission>, committedTransaction: () -> Void) -> [Result<Void, any Error>] {
        if isClosed { return Array(repeating: .failure(SQLiteStoreError.closed), count: batch.count) }
        do {
            try transaction {
                for submission in batch {
                    try apply(submission.changes)
                }
            }
            committedTransaction()
            return Array(repeating: .success(()), count: batch.count)
        } catch {
            guard batch.count > 1 else {
                logger.warning("Store submission failed", metadata: ["error": "\(error)"])
                return [.failure(error)]
            }
            logger.warning(
                "Group commit failed; retrying each submission alone",
                metadata: ["submissions": "\(batch.count)", "error": "\(error)"])
        }
        var results: [Result<Void, any Error>] = []
        results.reserveCapacity(batch.count)
        var failed = false
        for submission in batch {
            if failed {
                results.append(.failure(SQLiteStoreError.afterFailure))
                continue
            }
            do {
                try transaction { try apply(submission.changes) }
                committedTransaction()
                results.append(.success(()))
            } catch {
                logger.warning("Store submission failed", metadata: ["error": "\(error)"])
                results.append(.failure(error))
                failed = true
            }
        }
        return results
    }

    /// How far ahead of the highest message sequence `store_meta` is saved. Writing the mark at
    /// every commit put one more page in the WAL per SendMessage (a fifth of its bytes); saved
    /// this far ahead, it is written once per this many messages. A restart continues above the
    /// saved mark, so sequences (and FIFO `SequenceNumber`s) only grow, with a gap.
    static let sequenceReservation: Int64 = 4096

    /// Runs `body` inside `BEGIN IMMEDIATE … COMMIT`, saving the high-water marks before the commit
    /// when they passed the saved ones; rolls back if anything fails.
    private func transaction(_ body: () throws -> Void) throws {
        transactionMarks = committedMarks
        try statements.begin.execute()
        do {
            try body()
            if transactionMarks != committedMarks {
                if transactionMarks.sequence > committedMarks.sequence {
                    transactionMarks.sequence += Self.sequenceReservation
                }
                try statements.updateMeta.bind(transactionMarks.queueID, at: 1)
                try statements.updateMeta.bind(transactionMarks.sequence, at: 2)
                try statements.updateMeta.execute()
            }
            try statements.commit.execute()
            committedMarks = transactionMarks
        } catch {
            // Some errors (e.g. SQLITE_FULL, SQLITE_IOERR) roll the transaction back by themselves.
            if connection.isInTransaction {
                do { try connection.execute("ROLLBACK") } catch { logger.error("ROLLBACK failed", metadata: ["error": "\(error)"]) }
            }
            transactionMarks = committedMarks
            throw error
        }
    }

    /// Applies one submission's changes in order inside the open transaction.
    private func apply(_ changes: [StoreChange]) throws {
        // Read in place: `for change in changes` copied each change, one retain (and release) per
        // string of a message, atomics on objects an event loop made on the other core.
        try changes.withUnsafeBufferPointer { changes in
            for index in changes.indices {
                try apply(changes[index])
            }
        }
    }

    /// Applies one change inside the open transaction.
    private func apply(_ change: borrowing StoreChange) throws {
        switch change {
        case .saveQueue(let queue):
            try saveQueue(queue)
        case .deleteQueue(let queueID, let sequences):
            try deleteMessages(queueID: queueID, sequences: sequences)
            // Deduplication ids go by the schema's ON DELETE CASCADE too; deleted explicitly, so
            // this is right even if the foreign_keys pragma were ever off.
            try statements.deleteQueueDeduplications.bind(queueID, at: 1)
            try statements.deleteQueueDeduplications.execute()
            try statements.deleteQueue.bind(queueID, at: 1)
            try statements.deleteQueue.execute()
        case .insertMessage(let message):
            try insertMessage(message)
        case .updateDelivery(let delivery):
            try updateDelivery(delivery)
        case .deleteMessage(let queueID, let sequence):
            try deleteMessages(queueID: queueID, sequences: CollectionOfOne(sequence))
        case .purgeMessages(let queueID, let sequences):
            try deleteMessages(queueID: queueID, sequences: sequences)
        case .saveDeduplication(let record):
            let statement = statements.saveDeduplication
            try statement.bind(record.queueID, at: 1)
            try statement.bind(record.scope, at: 2)
            try statement.bind(record.deduplicationID, at: 3)
            try statement.bind(record.messageID, at: 4)
            try statement.bind(record.sequenceNumber, at: 5)
            try statement.bind(record.expiresAt.milliseconds, at: 6)
            try statement.execute()
        case .forgetDeduplications(let queueID):
            try statements.deleteQueueDeduplications.bind(queueID, at: 1)
            try statements.deleteQueueDeduplications.execute()
        case .deleteExpiredDeduplications(let before):
            try statements.deleteExpiredDeduplications.bind(before.milliseconds, at: 1)
            try statements.deleteExpiredDeduplications.execute()
        case .moveMessage(let move):
            let statement = statements.moveMessage
            try statement.bind(move.fromQueueID, at: 1)
            try statement.bind(move.fromSequence, at: 2)
            try statement.bind(move.queueID, at: 3)
            try statement.bind(move.sequence, at: 4)
            try statement.bind(move.visibleAt.milliseconds, at: 5)
            try statement.bind(Int64(move.receiveCount), at: 6)
            try statement.bind(move.firstReceivedAt?.milliseconds, at: 7)
            try statement.bind(move.lastReceivedAt?.milliseconds, at: 8)
            try statement.bind(Int64(bitPattern: move.receiptToken), at: 9)
            try statement.bind(move.messageGroupID, at: 10)
            try statement.bind(move.deduplicationID, at: 11)
            try statement.bind(move.sequenceNumber, at: 12)
            try statement.bind(move.deadLetterSourceArn, at: 13)
            try statement.execute()
            transactionMarks.sequence = max(transactionMarks.sequence, move.sequence)
        case .deleteEverything:
            // Bodies first, so the messages' delete trigger finds nothing left to delete.
            try connection.execute("DELETE FROM message_bodies; DELETE FROM messages; DELETE FROM deduplications; DELETE FROM move_tasks; DELETE FROM queues")
        case .saveMoveTask(let task):
            let statement = statements.saveMoveTask
            try statement.bind(task.taskID, at: 1)
            try statement.bind(task.sourceArn, at: 2)
            try statement.bind(task.destinationArn, at: 3)
            try statement.bind(task.maxNumberOfMessagesPerSecond.map(Int64.init), at: 4)
            try statement.bind(task.status.rawValue, at: 5)
            try statement.bind(task.startedAt.milliseconds, at: 6)
            try statement.bind(Int64(task.moved), at: 7)
            try statement.bind(Int64(task.toMove), at: 8)
            try statement.bind(task.failureReason, at: 9)
            try statement.execute()
        }
    }

    /// Deletes messages by sequence (the rowid: `messages` has no index on its queue). A sequence
    /// stored under another queue is left alone.
    private func deleteMessages(queueID: Int64, sequences: some Sequence<Int64>) throws(SQLiteError) {
        let statement = statements.deleteMessage
        for sequence in sequences {
            // Bound each time: `execute` clears the bindings.
            try statement.bind(queueID, at: 1)
            try statement.bind(sequence, at: 2)
            try statement.execute()
        }
    }

    private func saveQueue(_ queue: QueueRecord) throws(SQLiteError) {
        let statement = statements.saveQueue
        try statement.bind(queue.id, at: 1)
        try statement.bind(queue.key.account, at: 2)
        try statement.bind(queue.key.region, at: 3)
        try statement.bind(queue.key.name, at: 4)
        try statement.bind(blob: AttributeCoding.encode(queue.attributes), at: 5)
        try statement.bind(blob: AttributeCoding.encode(queue.tags), at: 6)
        try statement.bind(queue.createdAt.milliseconds, at: 7)
        try statement.bind(queue.modifiedAt.milliseconds, at: 8)
        try statement.bind(queue.lastPurgedAt?.milliseconds, at: 9)
        try statement.execute()
        transactionMarks.queueID = max(transactionMarks.queueID, queue.id)
    }

    private func insertMessage(_ message: MessageRecord) throws(SQLiteError) {
        let body = statements.insertBody
        try body.bind(message.sequence, at: 1)
        try body.bind(blob: AttributeCoding.encode(message.attributes), at: 4)
        try body.bind(blob: AttributeCoding.encode(message.systemAttributes), at: 5)
        try body.bind(message.md5OfAttributes, at: 7)
        try body.bind(message.md5OfSystemAttributes, at: 8)
        // The strings are read in place, without SQLite's copy (see `SQLiteStatement.withText`).
        // The closures see only the strings: capturing `message` copied the whole record (a
        // retain and release per string) at each level.
        let (messageID, text, md5OfBody, senderID) = (message.messageID, message.body, message.md5OfBody, message.senderID)
        try body.withText(messageID, at: 2) { () throws(SQLiteError) in
            try body.withText(text, at: 3) { () throws(SQLiteError) in
                try body.withText(md5OfBody, at: 6) { () throws(SQLiteError) in
                    try body.withText(senderID, at: 9) { () throws(SQLiteError) in
                        try body.execute()
                    }
                }
            }
        }
        let statement = statements.insertMessage
        try statement.bind(message.queueID, at: 1)
        try statement.bind(message.sequence, at: 2)
        try statement.bind(message.sentAt.milliseconds, at: 3)
        try statement.bind(message.visibleAt.milliseconds, at: 4)
        try statement.bind(Int64(message.receiveCount), at: 5)
        try statement.bind(message.firstReceivedAt?.milliseconds, at: 6)
        try statement.bind(message.lastReceivedAt?.milliseconds, at: 7)
        try statement.bind(Int64(bitPattern: message.receiptToken), at: 8)
        try statement.bind(message.messageGroupID, at: 9)
        try statement.bind(message.deduplicationID, at: 10)
        try statement.bind(message.sequenceNumber, at: 11)
        try statement.bind(message.deadLetterSourceArn, at: 12)
        try statement.execute()
        transactionMarks.sequence = max(transactionMarks.sequence, message.sequence)
    }

    private func updateDelivery(_ delivery: MessageDelivery) throws(SQLiteError) {
        let statement = statements.updateDelivery
        try statement.bind(delivery.queueID, at: 1)
        try statement.bind(delivery.sequence, at: 2)
        try statement.bind(delivery.visibleAt.milliseconds, at: 3)
        try statement.bind(Int64(delivery.receiveCount), at: 4)
        try statement.bind(delivery.firstReceivedAt?.milliseconds, at: 5)
        try statement.bind(delivery.lastReceivedAt?.milliseconds, at: 6)
        try statement.bind(Int64(bitPattern: delivery.receiptToken), at: 7)
        try statement.execute()
    }

    // MARK: Loading

    /// Reads every queue (by id), message (by sequence), deduplication id, move task (in the order
    /// first saved: `move_tasks.position` is the rowid, kept on replace) and the high-water marks.
    func load() throws -> StoreSnapshot {
        if isClosed { throw SQLiteStoreError.closed }
        let queues = try loadQueues()
        var messages: [MessageRecord] = []
        let messageRows = try connection.prepare("SELECT \(MessageRows.fullColumns) FROM \(MessageRows.source) ORDER BY m.sequence")
        defer { messageRows.finalize() }
        while try messageRows.step() {
            messages.append(try MessageRows.full(messageRows))
        }
        let marks = try Self.readMarks(connection)
        return StoreSnapshot(
            queues: queues, messages: messages,
            highestQueueID: max(marks.queueID, queues.last?.id ?? 0),
            highestSequence: max(marks.sequence, messages.last?.sequence ?? 0),
            deduplications: try loadDeduplications(), moveTasks: try loadMoveTasks())
    }

    /// What the engine keeps: every queue and the metadata of every message (no content), the
    /// marks, deduplication ids and move tasks.
    func loadWorkingSet() throws -> WorkingSet {
        if isClosed { throw SQLiteStoreError.closed }
        let queues = try loadQueues()
        var messages: [MessageMetadata] = []
        let messageRows = try connection.prepare("SELECT \(MessageRows.metadataColumns) FROM \(MessageRows.source) ORDER BY m.sequence")
        defer { messageRows.finalize() }
        while try messageRows.step() {
            messages.append(MessageRows.metadata(messageRows))
        }
        let marks = try Self.readMarks(connection)
        return WorkingSet(
            queues: queues, messages: messages,
            highestQueueID: max(marks.queueID, queues.last?.id ?? 0),
            highestSequence: max(marks.sequence, messages.last?.sequence ?? 0),
            deduplications: try loadDeduplications(), moveTasks: try loadMoveTasks())
    }

    private func loadQueues() throws -> [QueueRecord] {
        var queues: [QueueRecord] = []
        let queueRows = try connection.prepare(
            """
            SELECT id, account, region, name, attributes, tags, created_at, modified_at, last_purged_at
            FROM queues ORDER BY id
            """)
        defer { queueRows.finalize() }
        while try queueRows.step() {
            let id = queueRows.int64(0)
            queues.append(
                QueueRecord(
                    id: id,
                    key: QueueKey(account: queueRows.string(1), region: queueRows.string(2), name: queueRows.string(3)),
                    attributes: try queueRows.withBlob(4) { bytes throws(SQLiteStoreError) in
                        try AttributeCoding.decodeStrings(bytes, column: "queues.attributes of queue \(id)")
                    },
                    tags: try queueRows.withBlob(5) { bytes throws(SQLiteStoreError) in
                        try AttributeCoding.decodeStrings(bytes, column: "queues.tags of queue \(id)")
                    },
                    createdAt: Timestamp(milliseconds: queueRows.int64(6)),
                    modifiedAt: Timestamp(milliseconds: queueRows.int64(7)),
                    lastPurgedAt: queueRows.optionalInt64(8).map(Timestamp.init(milliseconds:))))
        }
        return queues
    }

    private func loadDeduplications() throws -> [DeduplicationRecord] {
        var deduplications: [DeduplicationRecord] = []
        let deduplicationRows = try connection.prepare(
            """
            SELECT queue_id, scope, deduplication_id, message_id, sequence_number, expires_at
            FROM deduplications ORDER BY queue_id, scope, deduplication_id
            """)
        defer { deduplicationRows.finalize() }
        while try deduplicationRows.step() {
            let row = deduplicationRows
            deduplications.append(
                DeduplicationRecord(
                    queueID: row.int64(0), scope: row.string(1), deduplicationID: row.string(2), messageID: row.string(3),
                    sequenceNumber: row.string(4), expiresAt: Timestamp(milliseconds: row.int64(5))))
        }
        return deduplications
    }

    private func loadMoveTasks() throws -> [MoveTaskRecord] {
        var moveTasks: [MoveTaskRecord] = []
        let taskRows = try connection.prepare(
            """
            SELECT task_id, source_arn, destination_arn, max_per_second, status, started_at, moved, to_move, failure_reason
            FROM move_tasks ORDER BY position
            """)
        defer { taskRows.finalize() }
        while try taskRows.step() {
            let row = taskRows
            let statusText = row.string(4)
            guard let status = MoveTaskRecord.Status(rawValue: statusText) else {
                throw SQLiteStoreError.corruptValue("move_tasks.status \"\(statusText)\" of task \(row.string(0))")
            }
            moveTasks.append(
                MoveTaskRecord(
                    taskID: row.string(0), sourceArn: row.string(1), destinationArn: row.optionalString(2),
                    maxNumberOfMessagesPerSecond: row.optionalInt64(3).map { Int($0) },
                    status: status,
                    startedAt: Timestamp(milliseconds: row.int64(5)), moved: Int(row.int64(6)), toMove: Int(row.int64(7)),
                    failureReason: row.optionalString(8)))
        }
        return moveTasks
    }

    /// Caps the database at `pages` pages, so that writes past it fail with `SQLITE_FULL` as on a
    /// full disk (for tests). Returns the cap SQLite applied (never below the current size).
    func limitPageCount(_ pages: Int) throws -> Int64 {
        try connection.queryInt64("PRAGMA max_page_count = \(pages)")
    }

    /// The number of pages the database file has now (for tests).
    func pageCount() throws -> Int64 {
        try connection.queryInt64("PRAGMA page_count")
    }

    // MARK: Closing

    /// Finalizes the statements, checkpoints the WAL into the database file and closes the connection.
    func close() throws {
        if isClosed { return }
        isClosed = true
        defer { connection.close() }
        if let checkpointer {
            checkpointer.uninstall(from: connection)
            checkpointer.close()
        }
        connection.clearStatementCache()
        if connection.path != nil {
            // Returns one row (busy, log, checkpointed); a busy reader only leaves the WAL in place.
            _ = try connection.queryInt64("PRAGMA wal_checkpoint(TRUNCATE)")
        }
    }

    private static func readMarks(_ connection: SQLiteConnection) throws(SQLiteError) -> HighWaterMarks {
        let statement = try connection.prepare("SELECT highest_queue_id, highest_sequence FROM store_meta WHERE id = 1")
        defer { statement.finalize() }
        guard try statement.step() else { return HighWaterMarks() }
        return HighWaterMarks(queueID: statement.int64(0), sequence: statement.int64(1))
    }
}

@available(*, unavailable)
extension StoreWriter: Sendable {}
