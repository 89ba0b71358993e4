import SQSEngine
import Synchronization
import Testing

@testable import SQSStore

@Suite("Group commit")
struct GroupCommitTests {
    let logger = StoreFixtures.logger

    @Test("1,000 submissions piled up behind the writer commit in one transaction")
    func pendingSubmissionsShareOneTransaction() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        try await store.commit([.saveQueue(StoreFixtures.queue(id: 1))])
        let before = store.transactionsCommitted
        store.suspendWriter()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sequence in Int64(1)...1000 {
                group.addTask { try await store.commit([.insertMessage(StoreFixtures.message(queueID: 1, sequence: sequence))]) }
            }
            while store.pendingSubmissionCount < 1000 { await Task.yield() }
            store.resumeWriter()
            try await group.waitForAll()
        }
        #expect(store.transactionsCommitted - before == 1)
        #expect(store.submissionsCommitted == 1001)
        #expect(try await store.load().messages.count == 1000)
        try await store.close()
    }

    /// A store over ``RecordingSubmitters`` holding queue 1, committed through the wake it asked for.
    private func storeWithQueue() async throws -> (SQLiteQueueStore, RecordingSubmitters) {
        let submitters = RecordingSubmitters()
        let store = try SQLiteQueueStore(path: nil, logger: logger, submitters: submitters)
        try await submitters.commitWaking(store, [.saveQueue(StoreFixtures.queue(id: 1))])
        return (store, submitters)
    }

    @Test("a deferred wake: the submissions made before it runs share one transaction, in order")
    func deferredWakeGroupsTheSubmissionsMadeBeforeIt() async throws {
        let (store, submitters) = try await storeWithQueue()
        let before = store.transactionsCommitted
        try await withThrowingTaskGroup(of: Void.self) { group in
            for sequence in Int64(1)...5 {
                group.addTask { try await store.commit([.insertMessage(StoreFixtures.message(queueID: 1, sequence: sequence))]) }
                // One at a time, so that they are submitted in sequence order.
                while store.pendingSubmissionCount < Int(sequence) { await Task.yield() }
            }
            // Only the first submission found the writer idle and asked for a wake.
            #expect(submitters.pendingWakes == 1)
            #expect(store.transactionsCommitted == before)
            submitters.runWake()
            try await group.waitForAll()
        }
        #expect(store.transactionsCommitted - before == 1)
        #expect(try await store.load().messages.map(\.sequence) == [1, 2, 3, 4, 5])
        // The writer is idle again: the next submission asks for a new wake.
        try await submitters.commitWaking(store, [.insertMessage(StoreFixtures.message(queueID: 1, sequence: 6))])
        try await store.close()
    }

    @Test("one commit's completions go back to each submitting thread in one hand-off, in submission order")
    func completionsGoBackToTheirThreadsTogether() async throws {
        let (store, submitters) = try await storeWithQueue()
        #expect(submitters.handedTo.isEmpty)  // a task without a home: completed on the writer

        // Seven submissions from two "loops" and one homeless task, interleaved, in one group.
        let (loopA, loopB) = (RecordingSubmitters.Home("A"), RecordingSubmitters.Home("B"))
        let homes: [RecordingSubmitters.Home?] = [loopA, loopB, nil, loopA, loopB, loopA, nil]
        let completed = Mutex<[(sequence: Int64, home: String)]>([])
        for (index, home) in homes.enumerated() {
            let sequence = Int64(index + 1)
            RecordingSubmitters.$home.withValue(home) {
                store.submit([.insertMessage(StoreFixtures.message(queueID: 1, sequence: sequence))]) { result in
                    #expect((try? result.get()) != nil)
                    completed.withLock { $0.append((sequence, home?.name ?? "writer")) }
                }
            }
        }
        #expect(store.pendingSubmissionCount == homes.count)
        #expect(submitters.pendingWakes == 1)
        let before = store.transactionsCommitted
        submitters.runWake()
        while completed.withLock({ $0.count }) < homes.count { await Task.yield() }

        #expect(store.transactionsCommitted - before == 1)
        #expect(submitters.handedTo == ["A", "B"])
        let order = completed.withLock { $0 }
        #expect(order.filter { $0.home == "A" }.map(\.sequence) == [1, 4, 6])
        #expect(order.filter { $0.home == "B" }.map(\.sequence) == [2, 5])
        #expect(order.filter { $0.home == "writer" }.map(\.sequence) == [3, 7])
        try await store.close()
    }

    @Test("concurrent submissions from tasks all complete and share transactions", arguments: SQLiteQueueStore.Synchronous.allCases)
    func concurrentSubmissions(synchronous: SQLiteQueueStore.Synchronous) async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let store = try SQLiteQueueStore(path: directory + "/sqslite.db", synchronous: synchronous, logger: logger)
            try await store.commit([.saveQueue(StoreFixtures.queue(id: 1))])
            let before = store.transactionsCommitted
            let count: Int64 = 10_000
            let tasks: Int64 = 100
            let clock = ContinuousClock()
            let start = clock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<tasks {
                    group.addTask {
                        // Each task sends messages one at a time, waiting for each commit, as a client would.
                        for index in stride(from: task + 1, through: count, by: Int(tasks)) {
                            var message = StoreFixtures.message(queueID: 1, sequence: index)
                            message.attributes = ["Index": .number(String(index))]
                            try await store.commit([.insertMessage(message)])
                            try await store.commit([.updateDelivery(MessageDelivery(message))])
                        }
                    }
                }
                try await group.waitForAll()
            }
            let elapsed = clock.now - start
            let transactions = store.transactionsCommitted - before
            let submissions = Int(count) * 2
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            print(
                "group commit (\(synchronous), file): \(submissions) submissions from \(tasks) tasks in \(elapsed), "
                    + "\(Int(Double(submissions) / seconds)) submissions/s, \(transactions) transactions")
            #expect(store.submissionsCommitted == submissions + 1)
            #expect(transactions < submissions)
            #expect(try await store.load().messages.count == Int(count))
            try await store.close()
        }
    }
}
