import Testing

@testable import SQSEngine

/// Long polls are driven by the ``ManualClock``: `advance` resumes the engine's timers, and
/// `waitingReceiveCount` tells when a receive is parked. Nothing here sleeps on wall time.
struct LongPollTests {
    typealias ReceiveTask = Task<[ReceivedMessage], any Error>

    /// Starts a long-polling receive and waits until it is parked.
    static func startPoll(
        _ fixture: EngineFixture, _ key: QueueKey, wait: Int? = 20, visibilityTimeout: Int? = nil, expectWaiters: Int = 1,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async -> ReceiveTask {
        let engine = fixture.engine
        let task = Task {
            try await engine.receiveMessage(key, ReceiveMessageInput(maxNumberOfMessages: 10, visibilityTimeout: visibilityTimeout, waitTimeSeconds: wait))
        }
        await fixture.waitForWaiters(expectWaiters, sourceLocation: sourceLocation)
        return task
    }

    /// The result of a receive that should have been woken; if it is still parked, records an
    /// issue and ends it (so a failing test fails instead of hanging).
    static func finished(_ task: ReceiveTask, _ fixture: EngineFixture, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [ReceivedMessage] {
        await fixture.waitForWaiters(0, sourceLocation: sourceLocation)
        if await fixture.engine.waitingReceiveCount > 0 {
            await fixture.engine.endLongPolls()
        }
        return try await task.value
    }

    /// Yields a while and checks the receive is still parked.
    static func expectStillWaiting(_ fixture: EngineFixture, count: Int = 1, sourceLocation: SourceLocation = #_sourceLocation) async {
        for _ in 0..<200 { await Task.yield() }
        #expect(await fixture.engine.waitingReceiveCount == count, sourceLocation: sourceLocation)
    }

    @Test func availableMessageIsReturnedWithoutWaiting() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "ready")
        let received = try await fixture.receive(key, wait: 20)
        #expect(received.map(\.record.body) == ["ready"])
        #expect(fixture.clock.sleeperCount == 0)
        #expect(fixture.clock.now() == EngineFixture.start)
    }

    @Test func sendWakesAParkedReceive() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let poll = await Self.startPoll(fixture, key)
        fixture.clock.advance(seconds: 3)
        await Self.expectStillWaiting(fixture)
        try await fixture.send(key, "hello")
        let received = try await Self.finished(poll, fixture)
        #expect(received.map(\.record.body) == ["hello"])
        #expect(received.first?.record.receiveCount == 1)
        #expect(received.first?.record.firstReceivedAt == EngineFixture.start.adding(seconds: 3))
        #expect(try await fixture.counts(key) == [0, 1, 0])
        // The deadline timer was cancelled with the wait.
        await fixture.waitUntil("the deadline timer is gone") { fixture.clock.sleeperCount == 0 }
    }

    @Test func sendBatchWakesAParkedReceive() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let poll = await Self.startPoll(fixture, key)
        _ = try await fixture.engine.sendMessageBatch(
            key, [BatchEntry(id: "a", value: SendMessageInput(body: "a")), BatchEntry(id: "b", value: SendMessageInput(body: "b"))],
            senderID: EngineFixture.sender)
        let received = try await Self.finished(poll, fixture)
        #expect(received.map(\.record.body) == ["a", "b"])
    }

    @Test func aSendWakesOneLongPollNotAll() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        var tasks: [ReceiveTask] = []
        for count in 1...5 {
            tasks.append(await Self.startPoll(fixture, key, expectWaiters: count))
        }
        try await fixture.send(key, "one")
        await fixture.waitForWaiters(4)
        await Self.expectStillWaiting(fixture, count: 4)
        // The longest-waiting receive got it.
        #expect(try await tasks[0].value.map(\.record.body) == ["one"])
        // A batch of two wakes two more: the first takes both, the second finds none and waits again.
        _ = try await fixture.engine.sendMessageBatch(
            key, [BatchEntry(id: "a", value: SendMessageInput(body: "a")), BatchEntry(id: "b", value: SendMessageInput(body: "b"))],
            senderID: EngineFixture.sender)
        await fixture.waitForWaiters(3)
        await Self.expectStillWaiting(fixture, count: 3)
        await fixture.engine.endLongPolls()
        var bodies: [String] = []
        for task in tasks.dropFirst() { bodies += try await task.value.map(\.record.body) }
        #expect(bodies.sorted() == ["a", "b"])
    }

    @Test func sendToAnotherQueueDoesNotEndTheWait() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let other = try await fixture.createQueue("other")
        let poll = await Self.startPoll(fixture, key)
        try await fixture.send(other, "elsewhere")
        await Self.expectStillWaiting(fixture)
        try await fixture.send(key, "here")
        #expect(try await Self.finished(poll, fixture).map(\.record.body) == ["here"])
        #expect(try await fixture.counts(other) == [1, 0, 0])
    }

    @Test func returnsEmptyAtTheDeadline() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let poll = await Self.startPoll(fixture, key, wait: 20)
        fixture.clock.advance(milliseconds: 19_999)
        await Self.expectStillWaiting(fixture)
        fixture.clock.advance(milliseconds: 1)
        let received = try await Self.finished(poll, fixture)
        #expect(received.isEmpty)
        #expect(fixture.clock.sleeperCount == 0)
    }

    @Test func queueWaitTimeIsTheDefault() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["ReceiveMessageWaitTimeSeconds": "5"])
        // An explicit 0 is a short poll.
        #expect(try await fixture.engine.receiveMessage(key, ReceiveMessageInput(waitTimeSeconds: 0)).isEmpty)
        #expect(await fixture.engine.waitingReceiveCount == 0)
        let poll = await Self.startPoll(fixture, key, wait: nil)
        fixture.clock.advance(milliseconds: 4_999)
        await Self.expectStillWaiting(fixture)
        fixture.clock.advance(milliseconds: 1)
        #expect(try await Self.finished(poll, fixture).isEmpty)
    }

    @Test func delayExpiryWakesAParkedReceive() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "later", delaySeconds: 10)
        let poll = await Self.startPoll(fixture, key, wait: 20)
        fixture.clock.advance(seconds: 9)
        await Self.expectStillWaiting(fixture)
        fixture.clock.advance(seconds: 1)
        let received = try await Self.finished(poll, fixture)
        #expect(received.map(\.record.body) == ["later"])
        #expect(received.first?.record.firstReceivedAt == EngineFixture.start.adding(seconds: 10))
        await fixture.waitUntil("the deadline timer is gone") { fixture.clock.sleeperCount == 0 }
    }

    @Test func delayedSendDuringTheWaitIsDeliveredWhenItsDelayEnds() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let poll = await Self.startPoll(fixture, key, wait: 20)
        fixture.clock.advance(seconds: 2)
        try await fixture.send(key, "delayed", delaySeconds: 5)
        // The send wakes the receive, which finds nothing visible and parks again.
        await fixture.waitUntil("the receive parks again") {
            await fixture.engine.waitingReceiveCount == 1 && fixture.clock.sleeperCount == 1
        }
        fixture.clock.advance(seconds: 4)
        await Self.expectStillWaiting(fixture)
        fixture.clock.advance(seconds: 1)
        let received = try await Self.finished(poll, fixture)
        #expect(received.map(\.record.body) == ["delayed"])
        #expect(received.first?.record.firstReceivedAt == EngineFixture.start.adding(seconds: 7))
    }

    @Test func delayBeyondTheDeadlineReturnsEmpty() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "much later", delaySeconds: 60)
        let poll = await Self.startPoll(fixture, key, wait: 20)
        fixture.clock.advance(seconds: 20)
        #expect(try await Self.finished(poll, fixture).isEmpty)
        #expect(try await fixture.counts(key) == [0, 0, 1])
    }

    @Test func visibilityExpiryWakesAParkedReceive() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        #expect(try await fixture.receive(key, visibilityTimeout: 5).count == 1)
        let poll = await Self.startPoll(fixture, key, wait: 20)
        fixture.clock.advance(milliseconds: 4_999)
        await Self.expectStillWaiting(fixture)
        fixture.clock.advance(milliseconds: 1)
        let received = try await Self.finished(poll, fixture)
        #expect(received.map(\.record.body) == ["m"])
        #expect(received.first?.record.receiveCount == 2)
        #expect(received.first?.record.lastReceivedAt == EngineFixture.start.adding(seconds: 5))
    }

    @Test func changeVisibilityToZeroWakesAParkedReceive() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key, visibilityTimeout: 300).first?.receiptHandle)
        let poll = await Self.startPoll(fixture, key, wait: 20)
        fixture.clock.advance(seconds: 1)
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 0)
        let received = try await Self.finished(poll, fixture)
        #expect(received.map(\.record.receiveCount) == [2])
        #expect(received.first?.record.lastReceivedAt == EngineFixture.start.adding(seconds: 1))
    }

    @Test func shortenedVisibilityWakesAParkedReceiveWhenItEnds() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key, visibilityTimeout: 300).first?.receiptHandle)
        let poll = await Self.startPoll(fixture, key, wait: 20)
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 5)
        await fixture.waitUntil("the receive parks again") { await fixture.engine.waitingReceiveCount == 1 }
        fixture.clock.advance(seconds: 5)
        let received = try await Self.finished(poll, fixture)
        #expect(received.map(\.record.receiveCount) == [2])
        #expect(received.first?.record.lastReceivedAt == EngineFixture.start.adding(seconds: 5))
    }

    @Test func changeVisibilityBatchWakesAParkedReceive() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key, visibilityTimeout: 300).first?.receiptHandle)
        let poll = await Self.startPoll(fixture, key, wait: 20)
        let outcomes = try await fixture.engine.changeMessageVisibilityBatch(
            key, [BatchEntry(id: "one", value: (receiptHandle: handle, visibilityTimeout: 3))])
        #expect(outcomes.first?.error == nil)
        await fixture.waitUntil("the receive parks again") { await fixture.engine.waitingReceiveCount == 1 }
        fixture.clock.advance(seconds: 3)
        let received = try await Self.finished(poll, fixture)
        #expect(received.first?.record.lastReceivedAt == EngineFixture.start.adding(seconds: 3))
    }

    @Test func oneMessageWakesOnlyOneOfTwoReceives() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let first = await Self.startPoll(fixture, key, expectWaiters: 1)
        let second = await Self.startPoll(fixture, key, expectWaiters: 2)
        try await fixture.send(key, "one")
        // The receive that lost the race parks again.
        await fixture.waitUntil("one receive parks again") { await fixture.engine.waitingReceiveCount == 1 }
        await Self.expectStillWaiting(fixture)
        try await fixture.send(key, "two")
        let a = try await Self.finished(first, fixture)
        let b = try await Self.finished(second, fixture)
        #expect(a.count == 1)
        #expect(b.count == 1)
        #expect(Set((a + b).map(\.record.body)) == ["one", "two"])
        #expect(try await fixture.counts(key) == [0, 2, 0])
    }

    @Test func endLongPollsEndsEveryWaiterEmpty() async throws {
        let fixture = try await EngineFixture.make()
        let first = try await fixture.createQueue("first")
        let second = try await fixture.createQueue("second")
        let a = await Self.startPoll(fixture, first, expectWaiters: 1)
        let b = await Self.startPoll(fixture, second, expectWaiters: 2)
        await fixture.engine.endLongPolls()
        #expect(try await a.value.isEmpty)
        #expect(try await b.value.isEmpty)
        #expect(await fixture.engine.waitingReceiveCount == 0)
        await fixture.waitUntil("the deadline timers are gone") { fixture.clock.sleeperCount == 0 }
        #expect(fixture.clock.now() == EngineFixture.start)
        // Later long polls return at once, but still deliver what is there.
        #expect(try await fixture.receive(first, wait: 20).isEmpty)
        #expect(await fixture.engine.waitingReceiveCount == 0)
        try await fixture.send(first, "still works")
        #expect(try await fixture.receive(first, wait: 20).map(\.record.body) == ["still works"])
    }

    @Test func deleteQueueEndsItsWaitersEmpty() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let other = try await fixture.createQueue("other")
        let doomed = await Self.startPoll(fixture, key, expectWaiters: 1)
        let survivor = await Self.startPoll(fixture, other, expectWaiters: 2)
        try await fixture.engine.deleteQueue(key)
        #expect(try await doomed.value.isEmpty)
        await Self.expectStillWaiting(fixture, count: 1)
        try await fixture.send(other, "m")
        #expect(try await Self.finished(survivor, fixture).map(\.record.body) == ["m"])
    }

    @Test func recreatedQueueDoesNotFeedAReceiveOnTheOldOne() async throws {
        let fixture = try await EngineFixture.make(configuration: EngineConfiguration(deletedQueueCooldown: 0))
        let key = try await fixture.createQueue("q")
        let poll = await Self.startPoll(fixture, key)
        try await fixture.engine.deleteQueue(key)
        _ = try await fixture.engine.createQueue(key, attributes: [:], tags: [:])
        try await fixture.send(key, "for the new queue")
        #expect(try await poll.value.isEmpty)
        #expect(try await fixture.counts(key) == [1, 0, 0])
    }

    @Test func cancellingTheReceiveEndsItEmpty() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let poll = await Self.startPoll(fixture, key)
        poll.cancel()
        #expect(try await poll.value.isEmpty)
        await fixture.waitForWaiters(0)
        await fixture.waitUntil("the deadline timer is gone") { fixture.clock.sleeperCount == 0 }
        // Nothing was taken: a later send stays visible.
        try await fixture.send(key, "m")
        #expect(try await fixture.counts(key) == [1, 0, 0])
    }

    @Test func longPollUsesTheRequestedVisibilityTimeout() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let poll = await Self.startPoll(fixture, key, wait: 20, visibilityTimeout: 7)
        try await fixture.send(key, "m")
        let received = try await Self.finished(poll, fixture)
        #expect(received.first?.record.visibleAt == EngineFixture.start.adding(seconds: 7))
    }
}
