import Testing

@testable import SQSEngine

struct PurgeTests {
    @Test func purgeDeletesVisibleInFlightAndDelayedMessages() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let other = try await fixture.createQueue("other")
        try await fixture.send(key, "in-flight")
        try await fixture.send(key, "visible")
        try await fixture.send(key, "delayed", delaySeconds: 60)
        try await fixture.send(other, "untouched")
        #expect(try await fixture.receive(key, max: 1).count == 1)
        #expect(try await fixture.counts(key) == [1, 1, 1])

        try await fixture.engine.purgeQueue(key)
        #expect(try await fixture.counts(key) == [0, 0, 0])
        #expect(try await fixture.storedBodies() == ["untouched"])
        fixture.clock.advance(seconds: 60)
        #expect(try await fixture.receive(key).isEmpty)
        #expect(try await fixture.counts(other) == [1, 0, 0])
        // The queue itself and its settings are unchanged.
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["VisibilityTimeout"]) == ["VisibilityTimeout": "30"])
    }

    @Test func purgeIsAllowedOncePerMinute() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("busy")
        try await fixture.engine.purgeQueue(key)
        #expect(try await fixture.store.load().queues.first?.lastPurgedAt == EngineFixture.start)
        let refused = EngineError(.purgeQueueInProgress, "Only one PurgeQueue operation on busy is allowed every 60 seconds.")
        await #expect(throws: refused) { try await fixture.engine.purgeQueue(key) }
        fixture.clock.advance(milliseconds: 59_999)
        await #expect(throws: refused) { try await fixture.engine.purgeQueue(key) }
        fixture.clock.advance(milliseconds: 1)
        try await fixture.engine.purgeQueue(key)
        #expect(try await fixture.store.load().queues.first?.lastPurgedAt == EngineFixture.start.adding(seconds: 60))
        await #expect(throws: refused) { try await fixture.engine.purgeQueue(key) }
    }

    @Test func purgeLimitIsPerQueue() async throws {
        let fixture = try await EngineFixture.make()
        let first = try await fixture.createQueue("first")
        let second = try await fixture.createQueue("second")
        try await fixture.engine.purgeQueue(first)
        try await fixture.engine.purgeQueue(second)
        await #expect(throws: EngineError(.purgeQueueInProgress, "Only one PurgeQueue operation on second is allowed every 60 seconds.")) {
            try await fixture.engine.purgeQueue(second)
        }
    }

    @Test func messagesSentAfterAPurgeAreKept() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "before")
        try await fixture.engine.purgeQueue(key)
        try await fixture.send(key, "after")
        #expect(try await fixture.receive(key).map(\.record.body) == ["after"])
    }

    @Test func handlesFromBeforeThePurge() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key).first?.receiptHandle)
        try await fixture.engine.purgeQueue(key)
        // Deleting a purged message succeeds; changing its visibility does not.
        try await fixture.engine.deleteMessage(key, receiptHandle: handle)
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "Value \(handle) for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change."
            )
        ) {
            try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 0)
        }
    }

    @Test func purgeDoesNotEndALongPoll() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let engine = fixture.engine
        let poll = Task { try await engine.receiveMessage(key, ReceiveMessageInput(waitTimeSeconds: 20)) }
        await fixture.waitForWaiters(1)
        try await fixture.engine.purgeQueue(key)
        for _ in 0..<200 { await Task.yield() }
        #expect(await fixture.engine.waitingReceiveCount == 1)
        try await fixture.send(key, "after purge")
        #expect(try await poll.value.map(\.record.body) == ["after purge"])
    }
}
