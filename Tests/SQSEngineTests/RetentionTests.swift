import Testing

@testable import SQSEngine

struct RetentionTests {
    @Test func expiredMessagesAreNeitherCountedNorDelivered() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("short", ["MessageRetentionPeriod": "60"])
        try await fixture.send(key, "old")
        fixture.clock.advance(seconds: 30)
        try await fixture.send(key, "young")
        fixture.clock.advance(milliseconds: 29_999)
        #expect(try await fixture.counts(key) == [2, 0, 0])
        fixture.clock.advance(milliseconds: 1)
        // "old" is exactly 60 s old: expired, though not yet swept.
        #expect(try await fixture.counts(key) == [1, 0, 0])
        #expect(try await fixture.storedBodies() == ["old", "young"])
        let received = try await fixture.receive(key)
        #expect(received.map(\.record.body) == ["young"])
        // The receive that passed over the expired message removed it for good.
        #expect(try await fixture.storedBodies() == ["young"])
    }

    @Test func receiveRemovesExpiredMessagesItFinds() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["MessageRetentionPeriod": "60"])
        try await fixture.send(key, "a")
        try await fixture.send(key, "b")
        fixture.clock.advance(seconds: 60)
        #expect(try await fixture.receive(key).isEmpty)
        #expect(try await fixture.storedBodies().isEmpty)
        #expect(try await fixture.counts(key) == [0, 0, 0])
    }

    @Test func sweepRemovesExpiredMessagesOfEveryQueueAndState() async throws {
        let fixture = try await EngineFixture.make()
        let short = try await fixture.createQueue("short", ["MessageRetentionPeriod": "120", "VisibilityTimeout": "600"])
        let long = try await fixture.createQueue("long")
        try await fixture.send(short, "in-flight")
        try await fixture.send(short, "visible")
        try await fixture.send(short, "delayed", delaySeconds: 900)
        try await fixture.send(long, "kept")
        #expect(try await fixture.receive(short, max: 1).map(\.record.body) == ["in-flight"])
        fixture.clock.advance(seconds: 60)
        try await fixture.send(short, "fresh")
        #expect(try await fixture.counts(short) == [2, 1, 1])

        await fixture.engine.sweepExpired()
        #expect(try await fixture.storedBodies() == ["delayed", "fresh", "in-flight", "kept", "visible"])

        fixture.clock.advance(seconds: 60)
        #expect(try await fixture.counts(short) == [1, 0, 0])
        await fixture.engine.sweepExpired()
        #expect(try await fixture.storedBodies() == ["fresh", "kept"])
        #expect(try await fixture.counts(short) == [1, 0, 0])
        #expect(try await fixture.counts(long) == [1, 0, 0])

        // Sweeping with nothing expired stores nothing.
        let submissions = fixture.store.submissionCount
        await fixture.engine.sweepExpired()
        #expect(fixture.store.submissionCount == submissions)
    }

    @Test func expiredInFlightMessageCannotBeMadeVisibleAgain() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["MessageRetentionPeriod": "60", "VisibilityTimeout": "600"])
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key).first?.receiptHandle)
        fixture.clock.advance(seconds: 60)
        await fixture.engine.sweepExpired()
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "Value \(handle) for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change."
            )
        ) {
            try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 0)
        }
        // Deleting it is still fine.
        try await fixture.engine.deleteMessage(key, receiptHandle: handle)
    }

    @Test func shorterRetentionAppliesToMessagesAlreadyQueued() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        fixture.clock.advance(seconds: 120)
        #expect(try await fixture.counts(key) == [1, 0, 0])
        try await fixture.engine.setQueueAttributes(key, attributes: ["MessageRetentionPeriod": "60"])
        #expect(try await fixture.counts(key) == [0, 0, 0])
        #expect(try await fixture.receive(key).isEmpty)
        #expect(try await fixture.storedBodies().isEmpty)
    }

    @Test func defaultRetentionIsFourDays() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        fixture.clock.advance(seconds: 345_599)
        await fixture.engine.sweepExpired()
        #expect(try await fixture.storedBodies() == ["m"])
        fixture.clock.advance(seconds: 1)
        await fixture.engine.sweepExpired()
        #expect(try await fixture.storedBodies().isEmpty)
    }

    @Test func runSweepsOnItsIntervalUntilCancelled() async throws {
        let fixture = try await EngineFixture.make(configuration: EngineConfiguration(retentionSweepInterval: 30))
        let key = try await fixture.createQueue("q", ["MessageRetentionPeriod": "60"])
        try await fixture.send(key, "m")
        let engine = fixture.engine
        let runner = Task { try await engine.run() }
        await fixture.waitUntil("the sweeper sleeps") { fixture.clock.sleeperCount == 1 }
        fixture.clock.advance(seconds: 30)
        // Not expired yet: the first sweep keeps the message and the sweeper sleeps again.
        await fixture.waitUntil("the sweeper sleeps again") { fixture.clock.sleeperCount == 1 && fixture.clock.now() == EngineFixture.start.adding(seconds: 30) }
        #expect(try await fixture.storedBodies() == ["m"])
        fixture.clock.advance(seconds: 30)
        try await fixture.waitUntil("the message is swept") { try await fixture.storedBodies().isEmpty }
        runner.cancel()
        try await runner.value
        #expect(fixture.clock.sleeperCount == 0)
        // run() ends long polls on the way out: later receives return at once.
        #expect(try await fixture.receive(key, wait: 20).isEmpty)
    }
}
