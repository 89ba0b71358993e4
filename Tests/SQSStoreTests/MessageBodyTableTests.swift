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
            try await reopened.commit([.purgeMessages(queueID: 2)])
            try await reopened.close()

            let check = try SQLiteConnection(path: path)
            #expect(try check.queryInt64("SELECT count(*) FROM body_writes") == 0)
            #expect(try check.queryInt64("SELECT count(*) FROM message_bodies") == 1)
            check.close()

            let last = try SQLiteQueueStore(path: path, logger: logger)
            try await last.commit([.deleteQueue(queueID: 1)])
            try await last.close()
            let empty = try SQLiteConnection(path: path)
            #expect(try empty.queryInt64("SELECT count(*) FROM message_bodies") == 0)
            empty.close()
        }
    }
}
