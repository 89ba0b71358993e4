import Testing

@testable import SQSEngine

/// Dead-letter queues: the move on the receive past maxReceiveCount, RedrivePolicy and
/// RedriveAllowPolicy checks, and ListDeadLetterSourceQueues.
struct RedriveTests {
    static func redrivePolicy(_ deadLetterQueue: QueueKey, maxReceiveCount: Int) -> String {
        #"{"deadLetterTargetArn":"\#(deadLetterQueue.arn)","maxReceiveCount":\#(maxReceiveCount)}"#
    }

    static func invalidPolicy(_ policy: String, _ reason: String) -> EngineError {
        EngineError(.invalidParameterValue, "Value \(policy) for parameter RedrivePolicy is invalid. Reason: \(reason).")
    }

    // MARK: - The move

    @Test func aMessageMovesOnTheReceiveExceedingMaxReceiveCount() async throws {
        let fixture = try await EngineFixture.make()
        let dlq = try await fixture.createQueue("dlq")
        let source = try await fixture.createQueue("source", ["RedrivePolicy": Self.redrivePolicy(dlq, maxReceiveCount: 2)])
        let attributes: [String: MessageAttributeValue] = ["kind": .string("order"), "count": .number("3")]
        let sent = try await fixture.engine.sendMessage(
            source, SendMessageInput(body: "payload", attributes: attributes), senderID: EngineFixture.sender)

        let first = try await fixture.receive(source, visibilityTimeout: 10)
        #expect(first.map(\.record.receiveCount) == [1])
        fixture.clock.advance(seconds: 10)
        let second = try await fixture.receive(source, visibilityTimeout: 10)
        #expect(second.map(\.record.receiveCount) == [2])
        #expect(try await fixture.counts(dlq) == [0, 0, 0])
        fixture.clock.advance(seconds: 10)
        // The third receive finds the message past its limit: it moves instead of being delivered.
        #expect(try await fixture.receive(source).isEmpty)
        #expect(try await fixture.counts(source) == [0, 0, 0])
        #expect(try await fixture.counts(dlq) == [1, 0, 0])
        let stored = try #require(try await fixture.store.load().messages.first)
        #expect(stored.receiveCount == 2)
        #expect(stored.deadLetterSourceArn == source.arn)

        let moved = try #require(try await fixture.receive(dlq).first)
        #expect(moved.record.messageID == sent.messageID)
        #expect(moved.record.body == "payload")
        #expect(moved.record.md5OfBody == sent.md5OfBody)
        #expect(moved.record.attributes == attributes)
        #expect(moved.record.md5OfAttributes == sent.md5OfAttributes)
        #expect(moved.record.sentAt == EngineFixture.start)
        #expect(moved.record.receiveCount == 3)
        #expect(moved.systemAttributes["DeadLetterQueueSourceArn"] == source.arn)
        #expect(moved.systemAttributes["ApproximateReceiveCount"] == "3")
        #expect(moved.systemAttributes["SenderId"] == EngineFixture.sender)
        // The old handles name the source queue: the message is gone from there.
        try await fixture.engine.deleteMessage(source, receiptHandle: second[0].receiptHandle)
        try await fixture.engine.deleteMessage(dlq, receiptHandle: moved.receiptHandle)
        #expect(try await fixture.storedBodies().isEmpty)
    }

    @Test func aBatchReceiveMovesExhaustedMessagesAndDeliversTheOthers() async throws {
        let fixture = try await EngineFixture.make()
        let dlq = try await fixture.createQueue("dlq")
        let source = try await fixture.createQueue("source", ["RedrivePolicy": Self.redrivePolicy(dlq, maxReceiveCount: 1)])
        try await fixture.send(source, "old-1")
        try await fixture.send(source, "old-2")
        #expect(try await fixture.receive(source, visibilityTimeout: 0).map(\.record.body) == ["old-1", "old-2"])
        try await fixture.send(source, "new")
        let received = try await fixture.receive(source)
        #expect(received.map(\.record.body) == ["new"])
        #expect(try await fixture.receive(dlq, visibilityTimeout: 60).map(\.record.body) == ["old-1", "old-2"])
        #expect(try await fixture.counts(source) == [0, 1, 0])
        #expect(try await fixture.counts(dlq) == [0, 2, 0])
    }

    @Test func aMoveWakesALongPollOnTheDeadLetterQueue() async throws {
        let fixture = try await EngineFixture.make()
        let dlq = try await fixture.createQueue("dlq")
        let source = try await fixture.createQueue("source", ["RedrivePolicy": Self.redrivePolicy(dlq, maxReceiveCount: 1)])
        try await fixture.send(source, "m")
        #expect(try await fixture.receive(source, visibilityTimeout: 0).count == 1)
        let engine = fixture.engine
        let poll = Task { try await engine.receiveMessage(dlq, ReceiveMessageInput(maxNumberOfMessages: 10, waitTimeSeconds: 20)) }
        await fixture.waitForWaiters(1)
        #expect(try await fixture.receive(source).isEmpty)
        await fixture.waitForWaiters(0)
        if await engine.waitingReceiveCount > 0 { await engine.endLongPolls() }
        let received = try await poll.value
        #expect(received.map(\.record.body) == ["m"])
        #expect(received.first?.systemAttributes["DeadLetterQueueSourceArn"] == source.arn)
    }

    @Test func removingTheRedrivePolicyStopsTheMoves() async throws {
        let fixture = try await EngineFixture.make()
        let dlq = try await fixture.createQueue("dlq")
        let source = try await fixture.createQueue("source", ["RedrivePolicy": Self.redrivePolicy(dlq, maxReceiveCount: 1)])
        try await fixture.send(source, "m")
        #expect(try await fixture.receive(source, visibilityTimeout: 0).count == 1)
        try await fixture.engine.setQueueAttributes(source, attributes: ["RedrivePolicy": ""])
        #expect(try await fixture.receive(source, visibilityTimeout: 0).map(\.record.receiveCount) == [2])
        #expect(try await fixture.counts(dlq) == [0, 0, 0])
    }

    @Test func aFIFOSourceMovesToAFIFODeadLetterQueueInOrder() async throws {
        let fixture = try await EngineFixture.make()
        let dlq = try await fixture.createQueue("dlq.fifo", ["FifoQueue": "true"])
        let source = try await fixture.createQueue(
            "source.fifo", ["FifoQueue": "true", "RedrivePolicy": Self.redrivePolicy(dlq, maxReceiveCount: 1)])
        var sent: [String: SendMessageResult] = [:]
        for (body, group) in [("a1", "A"), ("b1", "B"), ("a2", "A")] {
            sent[body] = try await fixture.engine.sendMessage(
                source, SendMessageInput(body: body, messageGroupID: group, deduplicationID: "dedup-\(body)"), senderID: EngineFixture.sender)
        }
        _ = try await fixture.engine.sendMessage(
            source, SendMessageInput(body: "b2", messageGroupID: "B", deduplicationID: "dedup-b2"), senderID: EngineFixture.sender)
        let first = try await fixture.receive(source, max: 3, visibilityTimeout: 10)
        #expect(first.map(\.record.body) == ["a1", "a2", "b1"])
        fixture.clock.advance(seconds: 10)
        // a1, a2 and b1 are past the limit and move; b2, never received, is delivered by the same receive.
        let second = try await fixture.receive(source, visibilityTimeout: 10)
        #expect(second.map(\.record.body) == ["b2"])
        #expect(try await fixture.counts(source) == [0, 1, 0])

        let moved = try await fixture.receive(dlq)
        #expect(moved.map(\.record.body) == ["a1", "a2", "b1"])
        #expect(moved.map { $0.systemAttributes["MessageGroupId"] } == ["A", "A", "B"])
        #expect(moved.map(\.record.messageID) == ["a1", "a2", "b1"].map { sent[$0]?.messageID })
        #expect(moved.allSatisfy { $0.systemAttributes["DeadLetterQueueSourceArn"] == source.arn })
        #expect(moved.allSatisfy { $0.systemAttributes["MessageDeduplicationId"] == $0.record.messageID })
        #expect(moved.map(\.record.receiveCount) == [2, 2, 2])
        // The DLQ gives them new sequence numbers, increasing within a group (a1 before a2).
        let numbers = moved.compactMap { $0.systemAttributes["SequenceNumber"] }
        #expect(numbers.count == 3)
        #expect(Set(numbers).count == 3)
        #expect(numbers[0] < numbers[1])
        #expect(Set(numbers).isDisjoint(with: sent.values.compactMap(\.sequenceNumber)))
        #expect(numbers.allSatisfy { $0 > second[0].systemAttributes["SequenceNumber"]! })
    }

    // MARK: - Policy checks

    @Test func theDeadLetterQueueMustExist() async throws {
        let fixture = try await EngineFixture.make()
        let missing = EngineFixture.key("missing")
        let policy = Self.redrivePolicy(missing, maxReceiveCount: 3)
        await #expect(throws: Self.invalidPolicy(policy, "Dead letter target does not exist")) {
            try await fixture.createQueue("source", ["RedrivePolicy": policy])
        }
        #expect(await !fixture.engine.queueExists(EngineFixture.key("source")))
        let source = try await fixture.createQueue("source")
        await #expect(throws: Self.invalidPolicy(policy, "Dead letter target does not exist")) {
            try await fixture.engine.setQueueAttributes(source, attributes: ["RedrivePolicy": policy])
        }
        #expect(try await fixture.engine.getQueueAttributes(source, names: ["RedrivePolicy"]).isEmpty)
        // Another account's queue of the same name is not the target either.
        _ = try await fixture.engine.createQueue(EngineFixture.key("missing", account: "111111111111"), attributes: [:], tags: [:])
        await #expect(throws: Self.invalidPolicy(policy, "Dead letter target does not exist")) {
            try await fixture.engine.setQueueAttributes(source, attributes: ["RedrivePolicy": policy])
        }
    }

    @Test func theDeadLetterQueueMustHaveTheSameType() async throws {
        let fixture = try await EngineFixture.make()
        let standardDLQ = try await fixture.createQueue("dlq")
        let fifoDLQ = try await fixture.createQueue("dlq.fifo", ["FifoQueue": "true"])
        let toFIFO = Self.redrivePolicy(fifoDLQ, maxReceiveCount: 1)
        await #expect(throws: Self.invalidPolicy(toFIFO, "Dead-letter queue must be same type of queue as the source")) {
            try await fixture.createQueue("standard", ["RedrivePolicy": toFIFO])
        }
        let toStandard = Self.redrivePolicy(standardDLQ, maxReceiveCount: 1)
        await #expect(throws: Self.invalidPolicy(toStandard, "Dead-letter queue must be same type of queue as the source")) {
            try await fixture.createQueue("source.fifo", ["FifoQueue": "true", "RedrivePolicy": toStandard])
        }
        let fifo = try await fixture.createQueue("source.fifo", ["FifoQueue": "true"])
        await #expect(throws: Self.invalidPolicy(toStandard, "Dead-letter queue must be same type of queue as the source")) {
            try await fixture.engine.setQueueAttributes(fifo, attributes: ["RedrivePolicy": toStandard])
        }
        try await fixture.engine.setQueueAttributes(fifo, attributes: ["RedrivePolicy": toFIFO])
        #expect(try await fixture.engine.getQueueAttributes(fifo, names: ["RedrivePolicy"])["RedrivePolicy"] == toFIFO)
    }

    @Test func redriveAllowPolicyDenyAllRefusesEverySource() async throws {
        let fixture = try await EngineFixture.make()
        let dlq = try await fixture.createQueue("dlq", ["RedriveAllowPolicy": #"{"redrivePermission":"denyAll"}"#])
        let policy = Self.redrivePolicy(dlq, maxReceiveCount: 5)
        let denied = Self.invalidPolicy(
            policy, "Dead-letter queue \(dlq.arn) does not allow this queue to use it as a dead-letter queue (RedriveAllowPolicy)")
        await #expect(throws: denied) {
            try await fixture.createQueue("source", ["RedrivePolicy": policy])
        }
        let source = try await fixture.createQueue("source")
        await #expect(throws: denied) {
            try await fixture.engine.setQueueAttributes(source, attributes: ["RedrivePolicy": policy])
        }
        // allowAll (like no policy) lets it through.
        try await fixture.engine.setQueueAttributes(dlq, attributes: ["RedriveAllowPolicy": #"{"redrivePermission":"allowAll"}"#])
        try await fixture.engine.setQueueAttributes(source, attributes: ["RedrivePolicy": policy])
    }

    @Test func redriveAllowPolicyByQueueAdmitsOnlyTheListedSources() async throws {
        let fixture = try await EngineFixture.make()
        let allowed = EngineFixture.key("allowed")
        let dlq = try await fixture.createQueue(
            "dlq", ["RedriveAllowPolicy": #"{"redrivePermission":"byQueue","sourceQueueArns":["\#(allowed.arn)"]}"#])
        let policy = Self.redrivePolicy(dlq, maxReceiveCount: 5)
        try await fixture.createQueue("allowed", ["RedrivePolicy": policy])
        await #expect(
            throws: Self.invalidPolicy(
                policy, "Dead-letter queue \(dlq.arn) does not allow this queue to use it as a dead-letter queue (RedriveAllowPolicy)")
        ) {
            try await fixture.createQueue("other", ["RedrivePolicy": policy])
        }
        #expect(try await fixture.engine.listDeadLetterSourceQueues(dlq, maxResults: nil, nextToken: nil).queues == [allowed])

        // byQueue needs 1 to 10 source ARNs.
        let empty = #"{"redrivePermission":"byQueue","sourceQueueArns":[]}"#
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "Value \(empty) for parameter RedriveAllowPolicy is invalid. Reason: Amazon SQS can't create the redrive allow policy. When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values (up to 10)."
            )
        ) {
            try await fixture.engine.setQueueAttributes(dlq, attributes: ["RedriveAllowPolicy": empty])
        }
        let eleven = (0..<11).map { #""\#(EngineFixture.key("q\($0)").arn)""# }.joined(separator: ",")
        await #expect(throws: EngineError.self) {
            try await fixture.createQueue("dlq2", ["RedriveAllowPolicy": #"{"redrivePermission":"byQueue","sourceQueueArns":[\#(eleven)]}"#])
        }
    }

    // MARK: - ListDeadLetterSourceQueues

    @Test func deadLetterSourceQueuesArePagedByName() async throws {
        let fixture = try await EngineFixture.make()
        let dlq = try await fixture.createQueue("dlq")
        let otherDLQ = try await fixture.createQueue("other-dlq")
        let policy = Self.redrivePolicy(dlq, maxReceiveCount: 3)
        for name in ["src-e", "src-b", "src-d", "src-a", "src-c"] {
            try await fixture.createQueue(name, ["RedrivePolicy": policy])
        }
        try await fixture.createQueue("unrelated")
        try await fixture.createQueue("elsewhere", ["RedrivePolicy": Self.redrivePolicy(otherDLQ, maxReceiveCount: 3)])

        let all = try await fixture.engine.listDeadLetterSourceQueues(dlq, maxResults: nil, nextToken: nil)
        #expect(all.queues.map(\.name) == ["src-a", "src-b", "src-c", "src-d", "src-e"])
        #expect(all.nextToken == nil)

        var pages: [[String]] = []
        var token: String?
        repeat {
            let page = try await fixture.engine.listDeadLetterSourceQueues(dlq, maxResults: 2, nextToken: token)
            pages.append(page.queues.map(\.name))
            token = page.nextToken
        } while token != nil && pages.count < 10
        #expect(pages == [["src-a", "src-b"], ["src-c", "src-d"], ["src-e"]])

        let exact = try await fixture.engine.listDeadLetterSourceQueues(dlq, maxResults: 5, nextToken: nil)
        #expect(exact.queues.count == 5)
        #expect(exact.nextToken == nil)
        #expect(try await fixture.engine.listDeadLetterSourceQueues(otherDLQ, maxResults: nil, nextToken: nil).queues.map(\.name) == ["elsewhere"])
        #expect(
            try await fixture.engine.listDeadLetterSourceQueues(EngineFixture.key("unrelated"), maxResults: nil, nextToken: nil).queues.isEmpty)

        await #expect(
            throws: EngineError(.invalidParameterValue, "Value 0 for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.")
        ) {
            try await fixture.engine.listDeadLetterSourceQueues(dlq, maxResults: 0, nextToken: nil)
        }
        await #expect(throws: EngineError(.invalidParameterValue, "Invalid NextToken value.")) {
            try await fixture.engine.listDeadLetterSourceQueues(dlq, maxResults: 2, nextToken: "%%%")
        }
        await #expect(throws: EngineError.queueDoesNotExist) {
            try await fixture.engine.listDeadLetterSourceQueues(EngineFixture.key("nope"), maxResults: nil, nextToken: nil)
        }

        // A source whose policy is removed, or that is deleted, leaves the list.
        try await fixture.engine.setQueueAttributes(EngineFixture.key("src-b"), attributes: ["RedrivePolicy": ""])
        try await fixture.engine.deleteQueue(EngineFixture.key("src-d"))
        #expect(
            try await fixture.engine.listDeadLetterSourceQueues(dlq, maxResults: nil, nextToken: nil).queues.map(\.name) == [
                "src-a", "src-c", "src-e",
            ])
    }
}
