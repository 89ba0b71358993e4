import Testing

@testable import SQSEngine

/// The admin page's message lists: a page and a total whose cost follows the page, not the queue,
/// and that give exactly what a scan of the whole queue gives.
struct PeekPageTests {
    /// What a page is by definition: every message that has not expired, oldest first, in the
    /// wanted state, from `offset`, at most `limit`; and how many there are in all.
    private static func scanned(
        _ state: QueueState, now: Timestamp, wanted: PeekedMessage.State?, offset: Int, limit: Int
    ) -> (sequences: [Int64], total: Int) {
        let matching = state.messages.values.filter { message in
            !state.isExpired(message, now: now) && (wanted == nil || QueueEngine.peekState(of: message, now: now) == wanted)
        }
        return (Array(matching.dropFirst(offset).prefix(limit).map(\.sequence)), matching.count)
    }

    private static func check(_ fixture: EngineFixture, _ key: QueueKey, step: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        let now = fixture.clock.now()
        for wanted in [nil, PeekedMessage.State.visible, .inFlight, .delayed] {
            for (offset, limit) in [(0, 1000), (0, 3), (2, 5), (1_000_000, 10)] {
                let page = try await fixture.engine.peekMessagePage(key, state: wanted, offset: offset, limit: limit)
                let expected = try await fixture.engine.inspect(key) { Self.scanned($0, now: now, wanted: wanted, offset: offset, limit: limit) }
                #expect(page.messages.map(\.record.sequence) == expected.sequences, "step \(step), \(String(describing: wanted)), \(offset), \(limit)",
                    sourceLocation: sourceLocation)
                #expect(page.total == expected.total, "step \(step), \(String(describing: wanted))", sourceLocation: sourceLocation)
                #expect(page.messages.allSatisfy { wanted == nil || $0.state == wanted }, sourceLocation: sourceLocation)
            }
        }
    }

    @Test func randomOperationsGiveWhatAScanGives() async throws {
        var generator = SplitMix64(seed: 2026)
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["MessageRetentionPeriod": "120"])
        var handles: [String] = []
        for step in 0..<600 {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<5:
                try await fixture.send(key, "m\(step)", delaySeconds: [0, 0, 0, 3, 40].randomElement(using: &generator))
            case 5..<7:
                let received = try await fixture.receive(
                    key, max: Int.random(in: 1...4, using: &generator), visibilityTimeout: [0, 2, 30].randomElement(using: &generator))
                handles += received.map(\.receiptHandle)
            case 7:
                if let handle = handles.randomElement(using: &generator) {
                    _ = try? await fixture.engine.deleteMessage(key, receiptHandle: handle)
                }
            case 8:
                fixture.clock.advance(seconds: Double(Int.random(in: 1...15, using: &generator)))
            default:
                if Int.random(in: 0..<10, using: &generator) == 0 { await fixture.engine.sweepExpired() }
            }
            if step % 5 == 0 { try await Self.check(fixture, key, step: step) }
        }
    }

    @Test func aFewHiddenMessagesAmongManyAreListedFromTheHiddenSetInOrder() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("sparse")
        for index in 0..<400 { try await fixture.send(key, "v\(index)") }
        // Four in flight (the oldest four), then three delayed ones at the end.
        let received = try await fixture.receive(key, max: 4, visibilityTimeout: 60)
        #expect(received.count == 4)
        for index in 0..<3 { try await fixture.send(key, "d\(index)", delaySeconds: 30 + index) }
        let counts = try await fixture.counts(key)
        #expect(counts == [396, 4, 3])
        // Sparse enough that the page comes from the hidden set, not a walk over the queue.
        #expect((counts[1] + counts[2]) * QueueEngine.peekHiddenDensity < 403)
        let inFlight = try await fixture.engine.peekMessagePage(key, state: .inFlight, offset: 1, limit: 2)
        #expect(inFlight.messages.map(\.record.body) == ["v1", "v2"])
        #expect(inFlight.total == 4)
        let delayed = try await fixture.engine.peekMessagePage(key, state: .delayed, offset: 0, limit: 10)
        #expect(delayed.messages.map(\.record.body) == ["d0", "d1", "d2"])
        #expect(delayed.total == 3)
        let hidden = try await fixture.engine.peekMessages(key, includeInFlight: true, includeDelayed: true, offset: 398, limit: 10)
        #expect(hidden.map(\.record.body) == ["v398", "v399", "d0", "d1", "d2"])
        // Time passes: the delayed ones become visible, and the in-flight ones too.
        fixture.clock.advance(seconds: 61)
        #expect(try await fixture.engine.peekMessagePage(key, state: .delayed, offset: 0, limit: 10).total == 0)
        #expect(try await fixture.engine.peekMessagePage(key, state: .inFlight, offset: 0, limit: 10).messages.isEmpty)
        let after = try await fixture.counts(key)
        #expect(after == [403, 0, 0])
        #expect(try await fixture.engine.peekMessagePage(key, state: .visible, offset: 0, limit: 1).total == 403)
        try await Self.check(fixture, key, step: 0)
    }
}
