import Testing

@testable import SQSEngine

struct DelayTests {
    @Test func queueDelayHoldsEveryMessage() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("delayed", ["DelaySeconds": "45"])
        try await fixture.send(key, "m")
        #expect(try await fixture.counts(key) == [0, 0, 1])
        #expect(try await fixture.store.load().messages.first?.visibleAt == EngineFixture.start.adding(seconds: 45))
        fixture.clock.advance(milliseconds: 44_999)
        #expect(try await fixture.receive(key).isEmpty)
        #expect(try await fixture.counts(key) == [0, 0, 1])
        fixture.clock.advance(milliseconds: 1)
        #expect(try await fixture.counts(key) == [1, 0, 0])
        let received = try await fixture.receive(key)
        #expect(received.map(\.record.body) == ["m"])
        #expect(received.first?.record.sentAt == EngineFixture.start)
        #expect(received.first?.record.firstReceivedAt == EngineFixture.start.adding(seconds: 45))
        // Once received, the message counts as not visible, not as delayed.
        #expect(try await fixture.counts(key) == [0, 1, 0])
    }

    @Test func perMessageDelayOverridesTheQueueDelay() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("delayed", ["DelaySeconds": "60"])
        try await fixture.send(key, "queue-delay")
        try await fixture.send(key, "no-delay", delaySeconds: 0)
        try await fixture.send(key, "short", delaySeconds: 10)
        try await fixture.send(key, "max", delaySeconds: 900)
        #expect(try await fixture.counts(key) == [1, 0, 3])
        #expect(try await fixture.receive(key, visibilityTimeout: 3600).map(\.record.body) == ["no-delay"])
        fixture.clock.advance(seconds: 10)
        #expect(try await fixture.receive(key, visibilityTimeout: 3600).map(\.record.body) == ["short"])
        #expect(try await fixture.counts(key) == [0, 2, 2])
        fixture.clock.advance(seconds: 50)
        #expect(try await fixture.receive(key, visibilityTimeout: 3600).map(\.record.body) == ["queue-delay"])
        fixture.clock.advance(seconds: 839)
        #expect(try await fixture.receive(key, visibilityTimeout: 3600).isEmpty)
        #expect(try await fixture.counts(key) == [0, 3, 1])
        fixture.clock.advance(seconds: 1)
        #expect(try await fixture.receive(key, visibilityTimeout: 3600).map(\.record.body) == ["max"])
        #expect(try await fixture.counts(key) == [0, 4, 0])
    }

    @Test func delayedMessagesAreReceivedInVisibilityOrder() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("ordered")
        try await fixture.send(key, "third", delaySeconds: 30)
        try await fixture.send(key, "second", delaySeconds: 20)
        try await fixture.send(key, "first", delaySeconds: 10)
        try await fixture.send(key, "now")
        fixture.clock.advance(seconds: 30)
        #expect(try await fixture.receive(key).map(\.record.body) == ["now", "first", "second", "third"])
    }

    @Test func changingTheQueueDelayAffectsOnlyLaterSends() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("changing")
        try await fixture.send(key, "before")
        try await fixture.engine.setQueueAttributes(key, attributes: ["DelaySeconds": "30"])
        try await fixture.send(key, "after")
        #expect(try await fixture.counts(key) == [1, 0, 1])
        #expect(try await fixture.receive(key, visibilityTimeout: 3600).map(\.record.body) == ["before"])
        try await fixture.engine.setQueueAttributes(key, attributes: ["DelaySeconds": "0"])
        #expect(try await fixture.counts(key) == [0, 1, 1])
        fixture.clock.advance(seconds: 30)
        #expect(try await fixture.receive(key).map(\.record.body) == ["after"])
    }

    @Test func batchEntriesHaveTheirOwnDelays() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("batch", ["DelaySeconds": "5"])
        let outcomes = try await fixture.engine.sendMessageBatch(
            key,
            [
                BatchEntry(id: "queue", value: SendMessageInput(body: "queue")),
                BatchEntry(id: "none", value: SendMessageInput(body: "none", delaySeconds: 0)),
                BatchEntry(id: "long", value: SendMessageInput(body: "long", delaySeconds: 100)),
            ],
            senderID: EngineFixture.sender)
        #expect(outcomes.allSatisfy { $0.error == nil })
        let visibleAt = try await fixture.store.load().messages.map(\.visibleAt)
        #expect(visibleAt == [EngineFixture.start.adding(seconds: 5), EngineFixture.start, EngineFixture.start.adding(seconds: 100)])
        #expect(try await fixture.counts(key) == [1, 0, 2])
    }

    @Test func invalidPerMessageDelayIsRejected() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("bad")
        await #expect(
            throws: EngineError(.invalidParameterValue, "Value -1 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.")
        ) {
            try await fixture.engine.sendMessage(key, SendMessageInput(body: "x", delaySeconds: -1), senderID: EngineFixture.sender)
        }
        #expect(try await fixture.counts(key) == [0, 0, 0])
    }
}
