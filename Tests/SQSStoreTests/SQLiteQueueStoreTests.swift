import FoundationEssentials
import SQSEngine
import Synchronization
import Testing

@testable import SQSStore

@Suite("SQLiteQueueStore")
struct SQLiteQueueStoreTests {
    let logger = StoreFixtures.logger

    @Test("every field round-trips, with Unicode, binary values and nil optionals")
    func roundTripEveryField() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        let queue = StoreFixtures.queue(
            id: 7, name: "ünïcødé-queue.fifo", attributes: ["FifoQueue": "true", "Policy": "{\"a\":\"ü\"}", "Empty": ""],
            tags: ["team": "🚀", "": "empty key"], lastPurgedAt: Timestamp(milliseconds: 1_700_000_009_999))
        let bare = StoreFixtures.queue(id: 8, attributes: [:], tags: [:])
        let full = StoreFixtures.fullMessage(queueID: 7, sequence: 100)
        let minimal = StoreFixtures.message(queueID: 7, sequence: 101, body: "")
        var negative = StoreFixtures.message(queueID: 8, sequence: 102)
        negative.receiptToken = 1
        negative.visibleAt = Timestamp(milliseconds: -5)  // before the epoch still round-trips
        try await store.commit([.saveQueue(queue), .saveQueue(bare), .insertMessage(full), .insertMessage(minimal), .insertMessage(negative)])

        let snapshot = try await store.load()
        #expect(snapshot.queues == [queue, bare])
        #expect(snapshot.messages == [full, minimal, negative])
        #expect(snapshot.messages.first?.body.utf8.elementsEqual(full.body.utf8) == true)
        #expect(snapshot.messages.first?.attributes["Blob"]?.binaryValue == [0, 1, 2, 0xFF, 0xFE, 0, 0x80])
        #expect(snapshot.messages.first?.attributes["EmptyBlob"]?.binaryValue == [])
        #expect(snapshot.messages.first?.receiptToken == UInt64.max - 41)
        #expect(snapshot.messages[1].md5OfAttributes == nil && snapshot.messages[1].firstReceivedAt == nil)
        #expect(snapshot.highestQueueID == 8)
        #expect(snapshot.highestSequence == 102 + StoreWriter.sequenceReservation)
        try await store.close()
    }

    @Test("a 1 MiB body and a large binary attribute round-trip")
    func largeBody() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        var message = StoreFixtures.message(queueID: 1, sequence: 1, body: String(repeating: "aé😀", count: 1 << 18))
        message.attributes = ["Big": .binary((0..<(256 * 1024)).map { UInt8(truncatingIfNeeded: $0 &* 31) })]
        #expect(message.body.utf8.count >= 1 << 20)
        try await store.commit([.saveQueue(StoreFixtures.queue(id: 1)), .insertMessage(message)])
        let snapshot = try await store.load()
        #expect(snapshot.messages == [message])
        try await store.close()
    }

    @Test("every StoreChange case is applied")
    func allChanges() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        let q1 = StoreFixtures.queue(id: 1)
        let q2 = StoreFixtures.queue(id: 2)
        try await store.commit([
            .saveQueue(q1), .saveQueue(q2),
            .insertMessage(StoreFixtures.message(queueID: 1, sequence: 1)),
            .insertMessage(StoreFixtures.message(queueID: 1, sequence: 2)),
            .insertMessage(StoreFixtures.message(queueID: 1, sequence: 3)),
            .insertMessage(StoreFixtures.message(queueID: 2, sequence: 4)),
            .insertMessage(StoreFixtures.message(queueID: 2, sequence: 5)),
        ])

        // saveQueue replaces the queue with the same id, keeping its messages.
        var renamed = q1
        renamed.key = QueueKey(account: q1.key.account, region: q1.key.region, name: "renamed")
        renamed.attributes = ["DelaySeconds": "5"]
        renamed.tags = ["k": "v"]
        renamed.modifiedAt = Timestamp(milliseconds: 42)
        renamed.lastPurgedAt = Timestamp(milliseconds: 43)
        // updateDelivery changes only the delivery fields.
        var delivered = StoreFixtures.message(queueID: 1, sequence: 2)
        delivered.visibleAt = Timestamp(milliseconds: 9_000)
        delivered.receiveCount = 2
        delivered.firstReceivedAt = Timestamp(milliseconds: 8_000)
        delivered.lastReceivedAt = Timestamp(milliseconds: 8_500)
        delivered.receiptToken = 0x8000_0000_0000_0001
        try await store.commit([
            .saveQueue(renamed),
            .updateDelivery(MessageDelivery(delivered)),
            .updateDelivery(MessageDelivery(StoreFixtures.message(queueID: 1, sequence: 999))),  // no such message: ignored
            .deleteMessage(queueID: 1, sequence: 1),
            .deleteMessage(queueID: 2, sequence: 3),  // wrong queue: ignored, as in MemoryQueueStore
        ])
        var snapshot = try await store.load()
        #expect(snapshot.queues == [renamed, q2])
        #expect(snapshot.messages.map(\.sequence) == [2, 3, 4, 5])
        #expect(snapshot.messages.first == delivered)

        try await store.commit([.purgeMessages(queueID: 2, sequences: [4, 5])])
        snapshot = try await store.load()
        #expect(snapshot.messages.map(\.sequence) == [2, 3])
        #expect(snapshot.queues.count == 2)

        try await store.commit([.deleteQueue(queueID: 1, sequences: [2, 3])])
        snapshot = try await store.load()
        #expect(snapshot.queues == [q2])
        #expect(snapshot.messages.isEmpty)
        #expect(snapshot.highestQueueID == 2)
        #expect(snapshot.highestSequence == 5 + StoreWriter.sequenceReservation)
        try await store.close()
    }

    @Test("an insert and its update, submitted back to back, commit in order")
    func ordering() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        try await store.commit([.saveQueue(StoreFixtures.queue(id: 1))])
        var expected: [MessageRecord] = []
        for sequence in Int64(1)...200 {
            let message = StoreFixtures.message(queueID: 1, sequence: sequence)
            var received = message
            received.receiveCount = 1
            received.receiptToken = UInt64(sequence) << 40
            received.firstReceivedAt = Timestamp(milliseconds: sequence)
            received.lastReceivedAt = Timestamp(milliseconds: sequence)
            expected.append(received)
            // Both submissions are made before either completes. submit() is synchronous, so
            // this task orders them (two `async let` commits would race to submit).
            let inserted = Result<Void, any Error>.Gate()
            let updated = Result<Void, any Error>.Gate()
            store.submit([.insertMessage(message)]) { inserted.open($0) }
            store.submit([.updateDelivery(MessageDelivery(received))]) { updated.open($0) }
            try await inserted.value.get()
            try await updated.value.get()
        }
        #expect(try await store.load().messages == expected)
        try await store.close()
    }

    @Test("a file database reopens with what was saved, and close truncates the WAL")
    func reopen() async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let path = directory + "/sqslite.db"
            let store = try SQLiteQueueStore(path: path, synchronous: .full, logger: logger)
            let queue = StoreFixtures.queue(id: 3, tags: ["env": "test"])
            try await store.commit([.saveQueue(queue), .insertMessage(StoreFixtures.fullMessage(queueID: 3, sequence: 10))])
            try await store.commit([.insertMessage(StoreFixtures.message(queueID: 3, sequence: 11))])
            try await store.commit([
                .saveDeduplication(DeduplicationAndMoveTaskTests.dedup(queueID: 3, id: "d", expiresAt: 1_700_000_300_000)),
                .saveMoveTask(DeduplicationAndMoveTaskTests.task("b")), .saveMoveTask(DeduplicationAndMoveTaskTests.task("a", status: .failed)),
            ])
            let saved = try await store.load()
            try await store.close()
            let walSize = (try? FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
            #expect(walSize == 0)

            let reopened = try SQLiteQueueStore(path: path, logger: logger)
            let loaded = try await reopened.load()
            expectEqual(loaded, saved)
            #expect(loaded.messages.count == 2)
            #expect(loaded.deduplications.map(\.deduplicationID) == ["d"])
            #expect(loaded.moveTasks.map(\.taskID) == ["b", "a"])
            try await reopened.close()
        }
    }

    @Test("the highest queue id and sequence survive deleting their rows, across a reopen")
    func highWaterMarks() async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let path = directory + "/sqslite.db"
            let store = try SQLiteQueueStore(path: path, logger: logger)
            try await store.commit([
                .saveQueue(StoreFixtures.queue(id: 1)), .saveQueue(StoreFixtures.queue(id: 9)),
                .insertMessage(StoreFixtures.message(queueID: 9, sequence: 40)),
                .insertMessage(StoreFixtures.message(queueID: 1, sequence: 41)),
            ])
            try await store.commit([.deleteMessage(queueID: 1, sequence: 41), .deleteQueue(queueID: 9, sequences: [40])])
            let snapshot = try await store.load()
            #expect(snapshot.queues.map(\.id) == [1])
            #expect(snapshot.messages.isEmpty)
            #expect(snapshot.highestQueueID == 9)
            // Saved a block ahead (41 + the reservation); later sequences below it do not write it again.
            #expect(snapshot.highestSequence == 41 + StoreWriter.sequenceReservation)
            try await store.commit([.insertMessage(StoreFixtures.message(queueID: 1, sequence: 42))])
            #expect(try await store.load().highestSequence == 41 + StoreWriter.sequenceReservation)
            try await store.close()

            let reopened = try SQLiteQueueStore(path: path, logger: logger)
            let loaded = try await reopened.load()
            #expect(loaded.highestQueueID == 9)
            #expect(loaded.highestSequence == 41 + StoreWriter.sequenceReservation)
            // Past the block, the mark moves a block ahead again.
            let next = loaded.highestSequence + 1
            try await reopened.commit([.insertMessage(StoreFixtures.message(queueID: 1, sequence: next))])
            #expect(try await reopened.load().highestSequence == next + StoreWriter.sequenceReservation)
            // A lower id later does not lower the mark.
            try await reopened.commit([.saveQueue(StoreFixtures.queue(id: 2))])
            #expect(try await reopened.load().highestQueueID == 9)
            try await reopened.close()
        }
    }

    @Test("a failing submission fails with every later one until resumeAfterFailure; earlier ones commit")
    func failingSubmissionFailsTheRest() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        let queue = StoreFixtures.queue(id: 1, name: "orders")
        store.suspendWriter()
        // Submitted in this order from one task, while the writer waits, so they share one group.
        let results = Mutex<[Int: Result<Void, any Error>]>([:])
        let submissions: [[StoreChange]] = [
            [.saveQueue(queue)],
            // Same account, region and name as queue 1 under another id: violates the unique key.
            [.saveQueue(StoreFixtures.queue(id: 2, name: "orders")), .insertMessage(StoreFixtures.message(queueID: 1, sequence: 5))],
            [.insertMessage(StoreFixtures.message(queueID: 1, sequence: 6))],
        ]
        for (index, changes) in submissions.enumerated() {
            store.submit(changes) { result in results.withLock { $0[index] = result } }
        }
        #expect(store.pendingSubmissionCount == 3)
        store.resumeWriter()
        while results.withLock({ $0.count }) < 3 { await Task.yield() }
        let outcome = results.withLock { $0 }

        #expect((try? outcome[0]?.get()) != nil)
        if case .failure(let error as SQLiteError) = outcome[1] {
            #expect(error.isConstraintViolation)
            #expect(error.extendedResultCode == SQLiteResultCode.constraintUnique.rawValue)
        } else {
            Issue.record("the bad submission did not fail with an SQLiteError")
        }
        // The third may depend on the second, so it is not applied.
        if case .failure(let error as SQLiteStoreError) = outcome[2] {
            #expect(error == .afterFailure)
        } else {
            Issue.record("the submission after the failure did not fail with .afterFailure")
        }
        #expect(store.isRefusingAfterFailure)
        await #expect(throws: SQLiteStoreError.afterFailure) { try await store.commit([.saveQueue(StoreFixtures.queue(id: 3))]) }
        // The failed group transaction does not count; the retried first submission does.
        #expect(store.transactionsCommitted == 1)
        let snapshot = try await store.load()
        #expect(snapshot.queues == [queue])
        #expect(snapshot.messages.isEmpty)
        #expect(snapshot.highestQueueID == 1)
        #expect(snapshot.highestSequence == 0)

        store.resumeAfterFailure()
        try await store.commit([.insertMessage(StoreFixtures.message(queueID: 1, sequence: 6))])
        #expect(try await store.load().messages.map(\.sequence) == [6])
        try await store.close()
    }

    @Test("after close, submissions and loads fail with .closed; close twice is fine")
    func closed() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        store.suspendWriter()
        async let pendingAtClose = store.result(of: [.saveQueue(StoreFixtures.queue(id: 1))])
        while store.pendingSubmissionCount < 1 { await Task.yield() }
        store.resumeWriter()
        try await store.close()
        #expect((try? await pendingAtClose.get()) != nil)  // close drains what was pending

        let result = await store.result(of: [.saveQueue(StoreFixtures.queue(id: 2))])
        #expect(throws: SQLiteStoreError.closed) { try result.get() }
        await #expect(throws: SQLiteStoreError.closed) { try await store.load() }
        try await store.close()
    }
}

extension Result where Success == Void, Failure == any Error {
    /// A one-shot result a completion handler fills in and a test awaits.
    final class Gate: Sendable {
        private let state = Mutex<(result: Result<Void, any Error>?, waiter: CheckedContinuation<Result<Void, any Error>, Never>?)>((nil, nil))

        func open(_ result: Result<Void, any Error>) {
            let waiter = state.withLock { state in
                state.result = result
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume(returning: result)
        }

        var value: Result<Void, any Error> {
            get async {
                await withCheckedContinuation { continuation in
                    let ready = state.withLock { state -> Result<Void, any Error>? in
                        if let result = state.result { return result }
                        state.waiter = continuation
                        return nil
                    }
                    if let ready { continuation.resume(returning: ready) }
                }
            }
        }
    }
}
