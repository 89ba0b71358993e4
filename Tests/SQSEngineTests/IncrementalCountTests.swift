import Testing

@testable import SQSEngine

/// The counts, the oldest message and the retention sweep are kept incrementally (no scan of the
/// queue per request); a random mix of operations over moving time must give exactly what a full
/// scan of the messages gives.
struct IncrementalCountTests {
    /// What the counts are by definition: a scan of every message that has not expired.
    private static func scanned(_ state: QueueState, now: Timestamp) -> (visible: Int, inFlight: Int, delayed: Int, oldest: Timestamp?) {
        var visible = 0
        var inFlight = 0
        var delayed = 0
        var oldest: Timestamp?
        for message in state.messages.values where !state.isExpired(message, now: now) {
            if message.visibleAt <= now {
                visible += 1
            } else if message.receiveCount > 0 {
                inFlight += 1
            } else {
                delayed += 1
            }
            oldest = min(oldest ?? message.sentAt, message.sentAt)
        }
        return (visible, inFlight, delayed, oldest)
    }

    @Test(arguments: [false, true])
    func randomOperationsKeepTheCountsExact(fifo: Bool) async throws {
        var generator = SplitMix64(seed: fifo ? 7 : 42)
        let fixture = try await EngineFixture.make()
        let name = fifo ? "q.fifo" : "q"
        var attributes = ["MessageRetentionPeriod": "300"]
        if fifo {
            attributes["FifoQueue"] = "true"
            attributes["ContentBasedDeduplication"] = "true"
            attributes["DelaySeconds"] = "5"
        }
        let key = try await fixture.createQueue(name, attributes)
        var handles: [String] = []
        for step in 0..<3_000 {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<4:
                let delay = fifo ? nil : [0, 0, 3, 40].randomElement(using: &generator)
                let group = fifo ? "g\(Int.random(in: 0..<5, using: &generator))" : nil
                _ = try await fixture.engine.sendMessage(
                    key, SendMessageInput(body: "m\(step)", delaySeconds: delay, messageGroupID: group), senderID: EngineFixture.sender)
            case 4..<6:
                let received = try await fixture.receive(key, max: Int.random(in: 1...10, using: &generator),
                    visibilityTimeout: [0, 2, 30].randomElement(using: &generator))
                handles += received.map(\.receiptHandle)
            case 6:
                if let handle = handles.randomElement(using: &generator) {
                    _ = try? await fixture.engine.deleteMessage(key, receiptHandle: handle)
                }
            case 7:
                if let handle = handles.randomElement(using: &generator) {
                    _ = try? await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: Int.random(in: 0...60, using: &generator))
                }
            case 8:
                fixture.clock.advance(seconds: Double(Int.random(in: 1...20, using: &generator)))
            default:
                if Int.random(in: 0..<20, using: &generator) == 0 { await fixture.engine.sweepExpired() }
            }
            let now = fixture.clock.now()
            let (counts, expected, oldest) = try await fixture.engine.inspect(key) { state in
                let expected = Self.scanned(state, now: now)
                let counts = state.counts(now: now)
                return ([counts.visible, counts.inFlight, counts.delayed], [expected.visible, expected.inFlight, expected.delayed],
                    [state.oldestSentAt(now: now), expected.oldest])
            }
            #expect(counts == expected, "step \(step)")
            #expect(oldest[0] == oldest[1], "step \(step)")
            if counts != expected { return }
        }
    }

    @Test func theSweepRemovesByAgeEvenWhenSendOrderDiffers() async throws {
        let fixture = try await EngineFixture.make()
        let dlq = try await fixture.createQueue("dlq", ["MessageRetentionPeriod": "600"])
        let source = try await fixture.createQueue(
            "source", ["RedrivePolicy": #"{"deadLetterTargetArn":"\#(dlq.arn)","maxReceiveCount":1}"#, "VisibilityTimeout": "1"])
        try await fixture.send(source, "old")
        fixture.clock.advance(seconds: 300)
        try await fixture.send(dlq, "newer, sent straight to the DLQ")
        // "old" moves to the DLQ with its original sent time, after "newer" in send order.
        _ = try await fixture.receive(source)
        fixture.clock.advance(seconds: 2)
        _ = try await fixture.receive(source)
        #expect(try await fixture.counts(dlq) == [2, 0, 0])
        fixture.clock.advance(seconds: 299)
        await fixture.engine.sweepExpired()
        let bodies = try await fixture.receive(dlq).map(\.record.body)
        #expect(bodies == ["newer, sent straight to the DLQ"])
    }
}

