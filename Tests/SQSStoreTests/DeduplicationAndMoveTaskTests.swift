import SQSEngine
import Testing

@testable import SQSStore

@Suite("Schema v2: deduplication ids and move tasks")
struct DeduplicationAndMoveTaskTests {
    let logger = StoreFixtures.logger

    static func dedup(queueID: Int64, id: String, expiresAt: Int64, scope: String = "") -> DeduplicationRecord {
        DeduplicationRecord(
            queueID: queueID, scope: scope, deduplicationID: id, messageID: "m-\(id)", sequenceNumber: "1000000000000000000\(queueID)",
            expiresAt: Timestamp(milliseconds: expiresAt))
    }

    static func task(_ id: String, status: MoveTaskRecord.Status = .running, moved: Int = 0) -> MoveTaskRecord {
        MoveTaskRecord(
            taskID: id, sourceArn: "arn:aws:sqs:us-east-1:000000000000:dlq", destinationArn: id == "b" ? "arn:aws:sqs:us-east-1:000000000000:q" : nil,
            maxNumberOfMessagesPerSecond: id == "b" ? 7 : nil, status: status, startedAt: Timestamp(milliseconds: 1_000),
            moved: moved, toMove: 10, failureReason: status == .failed ? "AWS.SimpleQueueService.NonExistentQueue" : nil)
    }

    @Test func deduplicationsAndTasksSurviveAReopenLikeTheMemoryStore() async throws {
        try await StoreFixtures.withTemporaryDirectory { folder in
            let path = folder + "/sqslite.db"
            let changes: [StoreChange] = [
                .saveQueue(StoreFixtures.queue(id: 1)), .saveQueue(StoreFixtures.queue(id: 2)),
                .saveDeduplication(Self.dedup(queueID: 1, id: "a", expiresAt: 100)),
                .saveDeduplication(Self.dedup(queueID: 1, id: "b", expiresAt: 300)),
                .saveDeduplication(Self.dedup(queueID: 1, id: "a", expiresAt: 500, scope: "group-1")),
                .saveDeduplication(Self.dedup(queueID: 2, id: "c", expiresAt: 900)),
                .deleteExpiredDeduplications(before: Timestamp(milliseconds: 100)),
                .deleteQueue(queueID: 2, sequences: []),
                .saveMoveTask(Self.task("a")), .saveMoveTask(Self.task("b")),
                .saveMoveTask(Self.task("a", status: .completed, moved: 10)),
            ]
            let store = try SQLiteQueueStore(path: path, logger: logger)
            try await store.commit(changes)
            try await store.close()
            let memory = MemoryQueueStore()
            try await memory.commit(changes)

            let reopened = try SQLiteQueueStore(path: path, logger: logger)
            let loaded = try await reopened.load()
            let expected = try await memory.load()
            let order: (DeduplicationRecord, DeduplicationRecord) -> Bool = { ($0.queueID, $0.scope, $0.deduplicationID) < ($1.queueID, $1.scope, $1.deduplicationID) }
            #expect(loaded.deduplications.sorted(by: order) == expected.deduplications.sorted(by: order))
            #expect(loaded.deduplications.sorted(by: order).map(\.deduplicationID) == ["b", "a"])
            #expect(loaded.moveTasks == expected.moveTasks)
            #expect(loaded.moveTasks.map(\.taskID) == ["a", "b"])
            #expect(loaded.moveTasks[0].status == .completed && loaded.moveTasks[0].moved == 10)
            #expect(loaded.moveTasks[1].maxNumberOfMessagesPerSecond == 7)
            try await reopened.close()
        }
    }

    @Test("a v1 database upgrades to the current schema and keeps its queues, messages and high-water marks")
    func upgradesV1Database() async throws {
        try await StoreFixtures.withTemporaryDirectory { folder in
            let path = folder + "/sqslite.db"
            // A database as the previous release left it: schema v1 only, with data.
            let old = try SQLiteConnection(path: path)
            let v1 = SchemaMigrator(migrations: [Migrations.v1])
            #expect(try v1.migrate(old, logger: logger) == [Migrations.v1.identifier])
            try old.execute(
                """
                INSERT INTO queues (id, account, region, name, attributes, tags, created_at, modified_at, last_purged_at)
                VALUES (4, '000000000000', 'us-east-1', 'orders.fifo', NULL, NULL, 1000, 2000, NULL);
                INSERT INTO messages (
                    queue_id, sequence, message_id, body, attributes, system_attributes, md5_of_body,
                    md5_of_attributes, md5_of_system_attributes, sender_id, sent_at, visible_at, receive_count,
                    first_received_at, last_received_at, receipt_token, message_group_id, deduplication_id,
                    sequence_number, dead_letter_source_arn)
                VALUES (4, 17, 'mid', 'hello', NULL, NULL, 'md5', NULL, NULL, 'sender', 3000, 3000, 0,
                    NULL, NULL, -5, 'g', 'dd', '18849496460467696128', NULL);
                UPDATE store_meta SET highest_queue_id = 6, highest_sequence = 20 WHERE id = 1;
                """)
            #expect(try old.queryInt64("PRAGMA user_version") == 1)
            #expect(try old.queryInt64("SELECT count(*) FROM sqlite_schema WHERE name IN ('deduplications', 'move_tasks')") == 0)
            old.close()

            let store = try SQLiteQueueStore(path: path, logger: logger)
            let snapshot = try await store.load()
            #expect(snapshot.queues.map(\.id) == [4])
            #expect(snapshot.queues.first?.key.name == "orders.fifo")
            #expect(snapshot.messages.map(\.sequence) == [17])
            #expect(snapshot.messages.first?.body == "hello")
            #expect(snapshot.messages.first?.receiptToken == UInt64(bitPattern: -5))
            #expect(snapshot.messages.first?.deduplicationID == "dd")
            #expect(snapshot.highestQueueID == 6 && snapshot.highestSequence == 20)
            #expect(snapshot.deduplications.isEmpty && snapshot.moveTasks.isEmpty)
            // The new tables work on the upgraded file.
            try await store.commit([.saveDeduplication(Self.dedup(queueID: 4, id: "dd", expiresAt: 9_000)), .saveMoveTask(Self.task("a"))])
            try await store.close()

            let check = try SQLiteConnection(path: path)
            #expect(try check.queryInt64("PRAGMA user_version") == Int64(Migrations.all.count))
            #expect(try check.queryInt64("SELECT count(*) FROM schema_migrations") == Int64(Migrations.all.count))
            #expect(try check.queryInt64("SELECT count(*) FROM message_bodies WHERE id = 17 AND body = 'hello'") == 1)
            #expect(try check.queryString("SELECT identifier FROM schema_migrations WHERE version = 2") == Migrations.v2.identifier)
            #expect(try check.queryInt64("SELECT count(*) FROM deduplications") == 1)
            #expect(try check.queryInt64("SELECT count(*) FROM move_tasks") == 1)
            check.close()

            let reopened = try SQLiteQueueStore(path: path, logger: logger)
            let loaded = try await reopened.load()
            #expect(loaded.messages.map(\.sequence) == [17])
            #expect(loaded.deduplications == [Self.dedup(queueID: 4, id: "dd", expiresAt: 9_000)])
            #expect(loaded.moveTasks == [Self.task("a")])
            try await reopened.close()
        }
    }

    @Test("deleting a queue forgets its deduplication ids (also by foreign key) but keeps move tasks")
    func deleteQueueCascades() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        try await store.commit([
            .saveQueue(StoreFixtures.queue(id: 1)), .saveQueue(StoreFixtures.queue(id: 2)),
            .saveDeduplication(Self.dedup(queueID: 1, id: "a", expiresAt: 10)),
            .saveDeduplication(Self.dedup(queueID: 2, id: "a", expiresAt: 10)),
            .saveMoveTask(Self.task("a")),
        ])
        try await store.commit([.deleteQueue(queueID: 1, sequences: []), .purgeMessages(queueID: 2, sequences: [])])
        let snapshot = try await store.load()
        #expect(snapshot.deduplications.map(\.queueID) == [2])
        #expect(snapshot.moveTasks.map(\.taskID) == ["a"])
        try await store.close()

        // The schema cascades by itself too, with the connection's foreign_keys pragma on.
        let connection = try SQLiteConnection(path: nil)
        try SchemaMigrator().migrate(connection, logger: logger)
        #expect(try connection.queryInt64("PRAGMA foreign_keys") == 1)
        try connection.execute(
            """
            INSERT INTO queues (id, account, region, name, created_at, modified_at) VALUES (1, 'a', 'r', 'q', 0, 0);
            INSERT INTO deduplications (queue_id, scope, deduplication_id, message_id, sequence_number, expires_at)
            VALUES (1, '', 'x', 'm', 's', 0);
            DELETE FROM queues WHERE id = 1;
            """)
        #expect(try connection.queryInt64("SELECT count(*) FROM deduplications") == 0)
        connection.close()
    }

    @Test("expiry deletes ids expiring at or before the time, of every queue")
    func expiryBoundary() async throws {
        let changes: [StoreChange] = [
            .saveQueue(StoreFixtures.queue(id: 1)), .saveQueue(StoreFixtures.queue(id: 2)),
            .saveDeduplication(Self.dedup(queueID: 1, id: "a", expiresAt: 99)),
            .saveDeduplication(Self.dedup(queueID: 2, id: "b", expiresAt: 100)),
            .saveDeduplication(Self.dedup(queueID: 1, id: "c", expiresAt: 101)),
            // Replacing moves the expiry later.
            .saveDeduplication(Self.dedup(queueID: 2, id: "d", expiresAt: 50)),
            .saveDeduplication(Self.dedup(queueID: 2, id: "d", expiresAt: 500)),
            .deleteExpiredDeduplications(before: Timestamp(milliseconds: 100)),
        ]
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        try await store.commit(changes)
        let memory = MemoryQueueStore()
        try await memory.commit(changes)
        let loaded = try await store.load()
        expectEqual(loaded, try await memory.load())
        #expect(sortedDeduplications(loaded).map(\.deduplicationID) == ["c", "d"])
        #expect(sortedDeduplications(loaded).last?.expiresAt == Timestamp(milliseconds: 500))
        try await store.close()
    }

    @Test("a deduplication id for a queue that does not exist fails the submission (stricter than memory)")
    func deduplicationNeedsItsQueue() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        let result = await store.result(of: [.saveDeduplication(Self.dedup(queueID: 42, id: "a", expiresAt: 10))])
        guard case .failure(let error) = result, let sqliteError = error as? SQLiteError else {
            Issue.record("expected an SQLiteError, got \(result)")
            return
        }
        #expect(SQLiteResultCode.constraint ~= sqliteError.code)
        #expect(try await store.load().deduplications.isEmpty)
        try await store.close()
    }
}
