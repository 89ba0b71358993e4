import Testing

@testable import SQSEngine

/// Fair queues on a standard queue: a tenant (MessageGroupId) with at least 30 messages in flight
/// and over 10% of the queue's in-flight messages is a noisy neighbour; receives prefer quiet
/// tenants' messages until it is quiet again.
struct FairQueueTests {
    private static func send(_ fixture: EngineFixture, _ key: QueueKey, _ body: String, tenant: String?) async throws {
        _ = try await fixture.engine.sendMessage(key, SendMessageInput(body: body, messageGroupID: tenant), senderID: EngineFixture.sender)
    }

    @Test func aNoisyTenantWaitsWhileQuietTenantsHaveMessages() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("tenants")
        for index in 0..<60 { try await Self.send(fixture, key, "a\(index)", tenant: "A") }
        // 30 of A's in flight: 100% of the queue's in-flight messages, and at least 30.
        var inFlight: [ReceivedMessage] = []
        for _ in 0..<3 { inFlight += try await fixture.receive(key, max: 10, visibilityTimeout: 600) }
        #expect(inFlight.count == 30 && inFlight.allSatisfy { $0.record.body.hasPrefix("a") })
        fixture.clock.advance(seconds: 1)
        try await Self.send(fixture, key, "b0", tenant: "B")
        try await Self.send(fixture, key, "untagged", tenant: nil)
        // A's older visible messages wait; the quiet tenants' come first.
        #expect(try await fixture.receive(key, max: 1, visibilityTimeout: 600).map(\.record.body) == ["b0"])
        #expect(try await fixture.receive(key, max: 1, visibilityTimeout: 600).map(\.record.body) == ["untagged"])
        // Only A's are left: they are delivered as usual.
        #expect(try await fixture.receive(key, max: 1, visibilityTimeout: 600).map(\.record.body) == ["a30"])
        // A is quiet again once it holds fewer than 30 in flight: oldest first again.
        for message in inFlight.prefix(10) { try await fixture.engine.deleteMessage(key, receiptHandle: message.receiptHandle) }
        try await Self.send(fixture, key, "b1", tenant: "B")
        #expect(try await fixture.receive(key, max: 1, visibilityTimeout: 600).map(\.record.body) == ["a31"])
    }

    @Test func belowTheThresholdsOrderIsUnchanged() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("tenants")
        for index in 0..<40 { try await Self.send(fixture, key, "a\(index)", tenant: "A") }
        // 29 in flight: not yet noisy.
        var taken = 0
        while taken < 29 { taken += try await fixture.receive(key, max: min(10, 29 - taken), visibilityTimeout: 600).count }
        fixture.clock.advance(seconds: 1)
        try await Self.send(fixture, key, "b0", tenant: "B")
        #expect(try await fixture.receive(key, max: 1, visibilityTimeout: 600).map(\.record.body) == ["a29"])
    }
}
