import SQSEngine
import Testing

@testable import SQSStore

/// Schema v3 keeps a message's content apart from its delivery state: a receive or a visibility
/// change writes only the small `messages` row, and the content goes with its message.
@Suite("Message bodies apart from delivery state")
struct MessageBodyTableTests {
    let logger = StoreFixtures.logger

    @Test("a delivery update leaves the body row alone; deletes, purges and queue deletion remove bodies")
    func bodiesFollowTheirMessages() async throws {
        try await StoreFixtures.withTemporaryDirectory { folder in
            let path = folder + "/sqslite.db"
            let store = try SQLiteQueueStore(path: path, logger: logger)
            var first = StoreFixtures.fullMessage(queueID: 1, sequence: 1)
            try await store.commit([
                .saveQueue(StoreFixtures.queue(id: 1)), .saveQueue(StoreFixtures.queue(id: 2)),
                .insertMessage(first), .insertMessage(StoreFixtures.message(queueID: 1, sequence: 2)),
                .insertMessage(StoreFixtures.message(queueID: 2, sequence: 3)), .insertMessage(StoreFixtures.message(queueID: 2, sequence: 4)),
            ])
            try await store.close()

            // Mark the body rows, then update the delivery state: the mark must survive (no rewrite).
            let marker = try SQLiteConnection(path: path)
            try marker.execute("CREATE TABLE body_writes (id INTEGER); CREATE TRIGGER count_body_writes AFTER UPDATE ON message_bodies BEGIN INSERT INTO body_writes VALUES (NEW.id); END;")
            marker.close()
            let reopened = try SQLiteQueueStore(path: path, logger: logger)
            first.receiveCount += 1
            first.visibleAt = Timestamp(milliseconds: 1_800_000_000_000)
            try await reopened.commit([.updateDelivery(MessageDelivery(first))])
            #expect(try await reopened.load().messages.first == first)
            try await reopened.commit([.deleteMessage(queueID: 1, sequence: 2)])
            try await reopened.commit([.purgeMessages(queueID: 2, sequences: [3, 4])])
            try await reopened.close()

            let check = try SQLiteConnection(path: path)
            #expect(try check.queryInt64("SELECT count(*) FROM body_writes") == 0)
            #expect(try check.queryInt64("SELECT count(*) FROM message_bodies") == 1)
            check.close()

            let last = try SQLiteQueueStore(path: path, logger: logger)
            try await last.commit([.deleteQueue(queueID: 1, sequences: [1])])
            try await last.close()
            let empty = try SQLiteConnection(path: path)
            #expect(try empty.queryInt64("SELECT count(*) FROM message_bodies") == 0)
            empty.close()
        }
    }

    @Test("v4 drops the queue index and foreign key of messages and keeps every message and body")
    func migrationToV4KeepsMessages() async throws {
        try await StoreFixtures.withTemporaryDirectory { folder in
            let path = folder + "/sqslite.db"
            let old = try SQLiteConnection(path: path)
            try SchemaMigrator(migrations: Array(Migrations.all.prefix(3))).migrate(old, logger: logger)
            try old.execute(
                """
                INSERT INTO queues (id, account, region, name, created_at, modified_at) VALUES (1, 'a', 'r', 'q', 0, 0);
                INSERT INTO message_bodies (id, message_id, body, md5_of_body, sender_id)
                VALUES (5, 'm5', 'b5', 'd5', 's'), (6, 'm6', 'b6', 'd6', 's');
                INSERT INTO messages (sequence, queue_id, body_id, sent_at, visible_at, receive_count, receipt_token)
                VALUES (5, 1, 5, 10, 11, 0, 0), (7, 1, 6, 12, 13, 2, 9);
                """)
            old.close()

            let store = try SQLiteQueueStore(path: path, logger: logger)
            let loaded = try await store.load()
            #expect(loaded.messages.map(\.sequence) == [5, 7])
            #expect(loaded.messages.map(\.body) == ["b5", "b6"])
            #expect(loaded.messages.map(\.receiveCount) == [0, 2])
            // The delete trigger came along: the body goes with its message.
            try await store.commit([.deleteMessage(queueID: 1, sequence: 7)])
            try await store.close()

            let check = try SQLiteConnection(path: path)
            #expect(try check.queryInt64("PRAGMA user_version") == Int64(Migrations.all.count))
            #expect(try check.queryInt64("SELECT count(*) FROM pragma_index_list('messages')") == 0)
            #expect(try check.queryInt64("SELECT count(*) FROM pragma_foreign_key_list('messages')") == 0)
            #expect(try check.queryInt64("SELECT count(*) FROM message_bodies") == 1)
            check.close()
        }
    }

    @Test("purging or deleting one queue removes its listed messages and leaves other queues' alone")
    func purgeAndDeleteBySequence() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        try await store.commit([
            .saveQueue(StoreFixtures.queue(id: 1)), .saveQueue(StoreFixtures.queue(id: 2)),
            .insertMessage(StoreFixtures.message(queueID: 1, sequence: 1)), .insertMessage(StoreFixtures.message(queueID: 2, sequence: 2)),
            .insertMessage(StoreFixtures.message(queueID: 1, sequence: 3)), .insertMessage(StoreFixtures.message(queueID: 2, sequence: 4)),
        ])
        // A listed sequence of another queue is not deleted.
        try await store.commit([.purgeMessages(queueID: 1, sequences: [1, 2, 3])])
        #expect(try await store.load().messages.map(\.sequence) == [2, 4])
        try await store.commit([.deleteQueue(queueID: 2, sequences: [2, 4])])
        let snapshot = try await store.load()
        #expect(snapshot.messages.isEmpty)
        #expect(snapshot.queues.map(\.id) == [1])
        try await store.close()
    }
}
