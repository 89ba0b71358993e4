import Testing

@testable import SQSEngine

/// Behaviours checked against responses recorded from real SQS (issue 11's list).
struct AWSFidelityTests {
    typealias F = FIFOTests

    @Test func fifoDeliversVisibleMessagesBeforeAnInFlightOneButNotAfterIt() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await F.createFIFO(fixture)
        for body in ["a", "b", "c"] { try await F.send(fixture, key, body) }
        let firstTwo = try await F.receive(fixture, key, max: 2, visibilityTimeout: 60)
        #expect(F.bodies(firstTwo) == ["a", "b"])
        // "a" is released; "b" stays in flight: "a" is delivered again, "c" (after "b") waits.
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: firstTwo[0].receiptHandle, visibilityTimeout: 0)
        #expect(F.bodies(try await F.receive(fixture, key, visibilityTimeout: 60)) == ["a"])
        #expect(try await F.receive(fixture, key).isEmpty)
    }

    @Test func fifoServesTheLeastRecentlyReceivedGroupFirst() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await F.createFIFO(fixture)
        try await F.send(fixture, key, "x1", group: "x")
        try await F.send(fixture, key, "y1", group: "y")
        try await F.send(fixture, key, "x2", group: "x")
        try await F.send(fixture, key, "y2", group: "y")
        // x holds the oldest message, so it goes first; then y, which was never served.
        let first = try await F.receive(fixture, key, max: 1, visibilityTimeout: 0)
        #expect(F.bodies(first) == ["x1"])
        let second = try await F.receive(fixture, key, max: 1, visibilityTimeout: 0)
        #expect(F.bodies(second) == ["y1"])
        // Both visible again at once: x was served longer ago than y.
        #expect(F.bodies(try await F.receive(fixture, key, max: 1, visibilityTimeout: 0)) == ["x1"])
    }

    @Test func purgeForgetsFIFODeduplicationIds() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await F.createFIFO(fixture)
        let first = try await F.send(fixture, key, "m", dedup: "same")
        try await fixture.engine.purgeQueue(key)
        let second = try await F.send(fixture, key, "m", dedup: "same")
        #expect(second.messageID != first.messageID)
        #expect(F.bodies(try await F.receive(fixture, key)) == ["m"])
        #expect(try await fixture.store.load().deduplications.map(\.messageID) == [second.messageID])
    }

    @Test func changingDeduplicationScopeKeepsTheIdsAlreadySeen() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await F.createFIFO(fixture)
        let first = try await F.send(fixture, key, "m", group: "g1", dedup: "d")
        try await fixture.engine.setQueueAttributes(key, attributes: ["DeduplicationScope": "messageGroup"])
        // Seen under queue scope: still a duplicate, in another group too.
        #expect(try await F.send(fixture, key, "m", group: "g2", dedup: "d").messageID == first.messageID)
    }

    @Test func aFIFOBatchEntryWithoutDeduplicationIdFailsTheWholeCall() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await F.createFIFO(fixture)
        let entries = [
            BatchEntry(id: "1", value: SendMessageInput(body: "a", messageGroupID: "g", deduplicationID: "a")),
            BatchEntry(id: "2", value: SendMessageInput(body: "b", messageGroupID: "g")),
        ]
        await #expect(throws: EngineError.self) {
            _ = try await fixture.engine.sendMessageBatch(key, entries, senderID: EngineFixture.sender)
        }
        #expect(try await F.receive(fixture, key).isEmpty)
    }

    @Test func fifoQueueAttributeCanBeSetToWhatItIs() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await F.createFIFO(fixture)
        try await fixture.engine.setQueueAttributes(key, attributes: ["FifoQueue": "true"])
        do {
            try await fixture.engine.setQueueAttributes(key, attributes: ["FifoQueue": "false"])
            Issue.record("FifoQueue=false was accepted")
        } catch {
            #expect(error.code == .invalidAttributeValue)
            #expect(error.message == "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")
        }
    }

    @Test func attributeNamesMayHoldLettersBeyondASCII() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        _ = try await fixture.engine.sendMessage(
            key, SendMessageInput(body: "m", attributes: ["attr.1øßä": .string("v")]), senderID: EngineFixture.sender)
        #expect(try await fixture.receive(key).first?.record.attributes["attr.1øßä"] == .string("v"))
    }

    @Test func redrivePolicyIsReturnedWithANumericCount() async throws {
        let fixture = try await EngineFixture.make()
        let dlq = try await fixture.createQueue("dlq")
        let key = try await fixture.createQueue("q", ["RedrivePolicy": #"{"maxReceiveCount": "5", "deadLetterTargetArn": "\#(dlq.arn)"}"#])
        let policy = try await fixture.engine.getQueueAttributes(key, names: ["RedrivePolicy"])["RedrivePolicy"]
        #expect(policy == #"{"deadLetterTargetArn":"\#(dlq.arn)","maxReceiveCount":5}"#)
    }

    @Test func clearingTheKMSKeyAlwaysClearsItsReusePeriod() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["KmsMasterKeyId": "alias/aws/sqs", "KmsDataKeyReusePeriodSeconds": "600"])
        try await fixture.engine.setQueueAttributes(key, attributes: ["KmsDataKeyReusePeriodSeconds": "900", "KmsMasterKeyId": ""])
        let all = try await fixture.engine.getQueueAttributes(key, names: ["All"])
        #expect(all["KmsMasterKeyId"] == nil)
        #expect(all["KmsDataKeyReusePeriodSeconds"] == nil)
    }
}
