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
                .deleteQueue(queueID: 2),
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
}
