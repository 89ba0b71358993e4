import Testing

@testable import SQSEngine

/// A change answered with an error may or may not have happened, but nothing answered with success
/// may rest on it: after a failed commit the engine reloads what is durable, so memory and store agree.
struct FailedCommitTests {
    private static func make(_ store: FaultyQueueStore) async throws -> (QueueEngine, ManualClock) {
        let clock = ManualClock(start: EngineFixture.start)
        let engine = QueueEngine(store: store, clock: clock, logger: EngineFixture.logger)
        try await engine.start()
        return (engine, clock)
    }

    private static func receive(_ engine: QueueEngine, _ key: QueueKey, visibility: Int? = nil) async throws -> [ReceivedMessage] {
        try await engine.receiveMessage(key, ReceiveMessageInput(maxNumberOfMessages: 10, visibilityTimeout: visibility, waitTimeSeconds: 0))
    }

    private static func expectInternalFailure(sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("expected InternalFailure", sourceLocation: sourceLocation)
        } catch let error as EngineError {
            #expect(error.code == .internalFailure, sourceLocation: sourceLocation)
        } catch {
            Issue.record("unexpected \(error)", sourceLocation: sourceLocation)
        }
    }

    @Test func aFailedSendIsNeverDelivered() async throws {
        let store = FaultyQueueStore()
        let (engine, _) = try await Self.make(store)
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:])
        store.failNextSubmissions()
        await Self.expectInternalFailure {
            _ = try await engine.sendMessage(key, SendMessageInput(body: "lost"), senderID: EngineFixture.sender)
        }
        #expect(try await Self.receive(engine, key).isEmpty)
        let attributes = try await engine.getQueueAttributes(key, names: ["ApproximateNumberOfMessages"])
        #expect(attributes["ApproximateNumberOfMessages"] == "0")
        // The store accepts changes again, and a later send is true.
        _ = try await engine.sendMessage(key, SendMessageInput(body: "kept"), senderID: EngineFixture.sender)
        #expect(try await Self.receive(engine, key).map(\.record.body) == ["kept"])
        #expect(try await store.load().messages.map(\.body) == ["kept"])
    }

    @Test func aFailedBatchSendStoresNoneOfItsMessages() async throws {
        let store = FaultyQueueStore()
        let (engine, _) = try await Self.make(store)
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:])
        store.failNextSubmissions()
        await Self.expectInternalFailure {
            _ = try await engine.sendMessageBatch(
                key, [BatchEntry(id: "a", value: SendMessageInput(body: "a")), BatchEntry(id: "b", value: SendMessageInput(body: "b"))],
                senderID: EngineFixture.sender)
        }
        #expect(try await Self.receive(engine, key).isEmpty)
    }

    @Test func aFailedDeleteRetriedSucceedsAndTheMessageStaysDeleted() async throws {
        let store = FaultyQueueStore()
        let (engine, clock) = try await Self.make(store)
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:])
        _ = try await engine.sendMessage(key, SendMessageInput(body: "m"), senderID: EngineFixture.sender)
        let handle = try #require(try await Self.receive(engine, key, visibility: 30).first).receiptHandle
        store.failNextSubmissions()
        await Self.expectInternalFailure { try await engine.deleteMessage(key, receiptHandle: handle) }
        // The SDK retries: the retry really deletes.
        try await engine.deleteMessage(key, receiptHandle: handle)
        #expect(try await store.load().messages.isEmpty)
        clock.advance(seconds: 60)
        #expect(try await Self.receive(engine, key).isEmpty)
        let (restarted, _) = try await Self.make(store)
        #expect(try await Self.receive(restarted, key).isEmpty)
    }

    @Test func aFailedCreateQueueRetriedGivesAWorkingQueue() async throws {
        let store = FaultyQueueStore()
        let (engine, _) = try await Self.make(store)
        store.failNextSubmissions()
        await Self.expectInternalFailure { _ = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:]) }
        #expect(await engine.queueExists(EngineFixture.key("q")) == false)
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:])
        _ = try await engine.sendMessage(key, SendMessageInput(body: "m"), senderID: EngineFixture.sender)
        #expect(try await store.load().messages.map(\.body) == ["m"])
    }

    @Test func aFailedReceiveDoesNotHideItsMessages() async throws {
        let store = FaultyQueueStore()
        let (engine, _) = try await Self.make(store)
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:])
        _ = try await engine.sendMessage(key, SendMessageInput(body: "m"), senderID: EngineFixture.sender)
        store.failNextSubmissions()
        await Self.expectInternalFailure { _ = try await Self.receive(engine, key, visibility: 600) }
        let again = try await Self.receive(engine, key, visibility: 600)
        #expect(again.map(\.record.body) == ["m"])
        #expect(again.first?.record.receiveCount == 1)
    }

    @Test func aFailedDeleteQueueLeavesTheQueue() async throws {
        let store = FaultyQueueStore()
        let (engine, _) = try await Self.make(store)
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:])
        _ = try await engine.sendMessage(key, SendMessageInput(body: "m"), senderID: EngineFixture.sender)
        store.failNextSubmissions()
        await Self.expectInternalFailure { try await engine.deleteQueue(key) }
        #expect(await engine.queueExists(key))
        #expect(try await Self.receive(engine, key).map(\.record.body) == ["m"])
        // Not "deleted recently": it was never deleted.
        try await engine.deleteQueue(key)
        #expect(await engine.queueExists(key) == false)
    }

    @Test func changesQueuedBehindAFailureFailToo() async throws {
        let store = FaultyQueueStore()
        let (engine, _) = try await Self.make(store)
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:])
        store.failNextSubmissions()
        // Many concurrent sends: the first fails; each other either fails (refused) or succeeds after
        // the reload. Every success is stored, every failure is not.
        let results = await withTaskGroup(of: (String, Bool).self) { group in
            for index in 0..<50 {
                group.addTask {
                    let body = "m\(index)"
                    do {
                        _ = try await engine.sendMessage(key, SendMessageInput(body: body), senderID: EngineFixture.sender)
                        return (body, true)
                    } catch {
                        return (body, false)
                    }
                }
            }
            var results: [(String, Bool)] = []
            for await result in group { results.append(result) }
            return results
        }
        #expect(results.contains { !$0.1 })
        let acknowledged = Set(results.filter(\.1).map(\.0))
        let stored = Set(try await store.load().messages.map(\.body))
        #expect(stored == acknowledged)
        var delivered: Set<String> = []
        while true {
            let batch = try await Self.receive(engine, key, visibility: 600)
            if batch.isEmpty { break }
            delivered.formUnion(batch.map(\.record.body))
        }
        #expect(delivered == acknowledged)
    }

    /// A refused submission may report its failure only after the reload that covered it has
    /// finished and the store accepts writes again. Reloading once more then would drop sends
    /// acknowledged in between from memory while the disk holds them.
    @Test func aFailureReportedAfterTheReloadThatCoveredItReloadsNothingMore() async throws {
        let store = FaultyQueueStore()
        let (engine, _) = try await Self.make(store)
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:])
        store.failNextSubmissions()
        store.holdFailures()
        let send = { @Sendable (body: String) async -> Bool in
            (try? await engine.sendMessage(key, SendMessageInput(body: body), senderID: EngineFixture.sender)) != nil
        }
        // One after the other, so the failure released first is the first send's.
        let first = Task { await send("a") }
        while store.heldFailureCount < 1 { await Task.yield() }
        let second = Task { await send("b") }
        while store.heldFailureCount < 2 { await Task.yield() }
        let loads = store.loadCount
        // The failed one: its caller reloads, then gets its error.
        store.releaseOldestFailure()
        #expect(await first.value == false)
        #expect(store.loadCount == loads + 1)
        #expect(await send("c"))
        // The one refused behind it, reported late: covered by that reload already.
        store.releaseOldestFailure()
        #expect(await second.value == false)
        #expect(store.loadCount == loads + 1)
        #expect(await send("d"))
        var delivered: [String] = []
        while true {
            let batch = try await Self.receive(engine, key, visibility: 600)
            if batch.isEmpty { break }
            delivered += batch.map(\.record.body)
        }
        #expect(delivered.sorted() == ["c", "d"])
        #expect(try await store.load().messages.map(\.body).sorted() == ["c", "d"])
    }
}
