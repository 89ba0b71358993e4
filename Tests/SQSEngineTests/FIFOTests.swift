import Testing

@testable import SQSEngine

/// FIFO queues: group ordering and locking, deduplication, sequence numbers, receive retries and
/// FIFO-only errors. Time only moves through the fixture's ``ManualClock``.
struct FIFOTests {
    typealias ReceiveTask = Task<[ReceivedMessage], any Error>

    /// Creates a FIFO queue named `name` (".fifo" is added).
    static func createFIFO(_ fixture: EngineFixture, _ name: String = "q", _ attributes: [String: String] = [:]) async throws -> QueueKey {
        try await fixture.createQueue("\(name).fifo", attributes.merging(["FifoQueue": "true"]) { $1 })
    }

    @discardableResult
    static func send(
        _ fixture: EngineFixture, _ key: QueueKey, _ body: String, group: String = "g", dedup: String? = nil, delaySeconds: Int? = nil
    ) async throws -> SendMessageResult {
        try await fixture.engine.sendMessage(
            key, SendMessageInput(body: body, delaySeconds: delaySeconds, messageGroupID: group, deduplicationID: dedup ?? body),
            senderID: EngineFixture.sender)
    }

    static func receive(
        _ fixture: EngineFixture, _ key: QueueKey, max: Int = 10, visibilityTimeout: Int? = nil, attempt: String? = nil
    ) async throws -> [ReceivedMessage] {
        try await fixture.engine.receiveMessage(
            key, ReceiveMessageInput(maxNumberOfMessages: max, visibilityTimeout: visibilityTimeout, waitTimeSeconds: 0, receiveRequestAttemptID: attempt))
    }

    static func bodies(_ messages: [ReceivedMessage]) -> [String] {
        messages.map(\.record.body)
    }

    // MARK: - Ordering and group locking

    @Test func messagesOfAGroupAreDeliveredInStrictOrder() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        for index in 1...8 {
            try await Self.send(fixture, key, "m\(index)")
        }
        // One at a time: each receive waits for the previous message's delete.
        for index in 1...4 {
            let received = try await Self.receive(fixture, key, max: 1)
            #expect(Self.bodies(received) == ["m\(index)"])
            #expect(try await Self.receive(fixture, key, max: 1).isEmpty)
            try await fixture.engine.deleteMessage(key, receiptHandle: try #require(received.first?.receiptHandle))
        }
        // The rest together, still in send order.
        #expect(Self.bodies(try await Self.receive(fixture, key)) == ["m5", "m6", "m7", "m8"])
    }

    @Test func aGroupWithAMessageInFlightIsLockedWhileOtherGroupsDeliver() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        try await Self.send(fixture, key, "a1", group: "A")
        try await Self.send(fixture, key, "a2", group: "A")
        try await Self.send(fixture, key, "b1", group: "B")
        try await Self.send(fixture, key, "b2", group: "B")

        let a1 = try await Self.receive(fixture, key, max: 1, visibilityTimeout: 100)
        #expect(Self.bodies(a1) == ["a1"])
        // A is locked by a1: the next receive gets B's head, not a2.
        let b1 = try await Self.receive(fixture, key, max: 1, visibilityTimeout: 10)
        #expect(Self.bodies(b1) == ["b1"])
        // Both groups locked: nothing, even though a2 and b2 are visible.
        #expect(try await Self.receive(fixture, key).isEmpty)
        #expect(try await fixture.counts(key) == [2, 2, 0])

        // Deleting a1 unlocks A.
        try await fixture.engine.deleteMessage(key, receiptHandle: try #require(a1.first?.receiptHandle))
        let a2 = try await Self.receive(fixture, key, visibilityTimeout: 100)
        #expect(Self.bodies(a2) == ["a2"])

        // b1's visibility expires: B delivers again from b1, never b2 first.
        fixture.clock.advance(seconds: 9)
        #expect(try await Self.receive(fixture, key).isEmpty)
        fixture.clock.advance(seconds: 1)
        let again = try await Self.receive(fixture, key, visibilityTimeout: 100)
        #expect(Self.bodies(again) == ["b1", "b2"])
        #expect(again.map(\.record.receiveCount) == [2, 1])
        #expect(again.first?.record.messageID == b1.first?.record.messageID)
    }

    @Test func aReceiveOfTenReturnsMessagesOfTheSameGroupTogether() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        for (body, group) in [("a1", "A"), ("b1", "B"), ("a2", "A"), ("c1", "C"), ("b2", "B"), ("a3", "A")] {
            try await Self.send(fixture, key, body, group: group)
        }
        let received = try await Self.receive(fixture, key, max: 10)
        #expect(Self.bodies(received) == ["a1", "a2", "a3", "b1", "b2", "c1"])
        #expect(received.map { $0.systemAttributes["MessageGroupId"] } == ["A", "A", "A", "B", "B", "C"])
    }

    @Test func groupsInterleaveAcrossReceives() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        for (body, group) in [("a1", "A"), ("a2", "A"), ("a3", "A"), ("b1", "B"), ("b2", "B"), ("c1", "C")] {
            try await Self.send(fixture, key, body, group: group)
        }
        // A batch stops at the limit inside a group; the next receive goes to the next unlocked group.
        let first = try await Self.receive(fixture, key, max: 2)
        #expect(Self.bodies(first) == ["a1", "a2"])
        #expect(Self.bodies(try await Self.receive(fixture, key, max: 1)) == ["b1"])
        #expect(Self.bodies(try await Self.receive(fixture, key, max: 2)) == ["c1"])
        #expect(try await Self.receive(fixture, key, max: 10).isEmpty)
        // Deleting A's in-flight messages lets a3 out; B stays locked by b1.
        let outcomes = try await fixture.engine.deleteMessageBatch(
            key, first.enumerated().map { BatchEntry(id: "e\($0.offset)", value: $0.element.receiptHandle) })
        #expect(outcomes.allSatisfy { $0.error == nil })
        #expect(Self.bodies(try await Self.receive(fixture, key, max: 10)) == ["a3"])
    }

    // MARK: - Deduplication

    @Test func aDuplicateWithinFiveMinutesReturnsTheOriginalAndEnqueuesNothing() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        let original = try await Self.send(fixture, key, "first body", dedup: "d-1")
        let originalSequence = try #require(original.sequenceNumber)

        fixture.clock.advance(seconds: 299)
        let duplicate = try await Self.send(fixture, key, "second body", group: "other", dedup: "d-1")
        #expect(duplicate.messageID == original.messageID)
        #expect(duplicate.sequenceNumber == originalSequence)
        #expect(try await fixture.counts(key) == [1, 0, 0])
        #expect(try await fixture.storedBodies() == ["first body"])

        // After 300 s the id is forgotten: the same id enqueues a new message.
        fixture.clock.advance(seconds: 1)
        await fixture.engine.sweepExpired()
        #expect(try await fixture.store.load().deduplications.isEmpty)
        let later = try await Self.send(fixture, key, "third body", dedup: "d-1")
        #expect(later.messageID != original.messageID)
        let laterSequence = try #require(later.sequenceNumber)
        #expect(laterSequence > originalSequence)
        #expect(try await fixture.counts(key) == [2, 0, 0])
        #expect(try await fixture.storedBodies() == ["first body", "third body"])
        // The new send starts a new window.
        let again = try await Self.send(fixture, key, "fourth body", dedup: "d-1")
        #expect(again.messageID == later.messageID)
        #expect(again.sequenceNumber == laterSequence)
    }

    @Test func theWindowEndsAtThreeHundredSecondsEvenBeforeASweep() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        let original = try await Self.send(fixture, key, "x", dedup: "d")
        fixture.clock.advance(milliseconds: 299_999)
        #expect(try await Self.send(fixture, key, "x", dedup: "d").messageID == original.messageID)
        fixture.clock.advance(milliseconds: 1)
        #expect(try await Self.send(fixture, key, "x", dedup: "d").messageID != original.messageID)
        #expect(try await fixture.counts(key) == [2, 0, 0])
    }

    @Test func aDeduplicationIdIsRememberedAfterItsMessageIsDeleted() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        let original = try await Self.send(fixture, key, "m", dedup: "d")
        let received = try #require(try await Self.receive(fixture, key).first)
        try await fixture.engine.deleteMessage(key, receiptHandle: received.receiptHandle)
        #expect(try await fixture.storedBodies().isEmpty)
        fixture.clock.advance(seconds: 100)
        let duplicate = try await Self.send(fixture, key, "m", dedup: "d")
        #expect(duplicate.messageID == original.messageID)
        #expect(duplicate.sequenceNumber == original.sequenceNumber)
        #expect(try await fixture.counts(key) == [0, 0, 0])
        #expect(try await Self.receive(fixture, key).isEmpty)
    }

    @Test func duplicatesInsideABatchAreAcceptedButEnqueuedOnce() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        let outcomes = try await fixture.engine.sendMessageBatch(
            key,
            [
                BatchEntry(id: "one", value: SendMessageInput(body: "one", messageGroupID: "g", deduplicationID: "same")),
                BatchEntry(id: "two", value: SendMessageInput(body: "two", messageGroupID: "g", deduplicationID: "same")),
                BatchEntry(id: "three", value: SendMessageInput(body: "three", messageGroupID: "g", deduplicationID: "other")),
            ],
            senderID: EngineFixture.sender)
        let results = try outcomes.map { try $0.result.get() }
        #expect(results[0].messageID == results[1].messageID)
        #expect(results[0].sequenceNumber == results[1].sequenceNumber)
        #expect(results[2].messageID != results[0].messageID)
        #expect(try await fixture.storedBodies() == ["one", "three"])
    }

    @Test func contentBasedDeduplicationUsesTheSHA256OfTheBody() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture, "cbd", ["ContentBasedDeduplication": "true"])
        let send = { (body: String, group: String, dedup: String?) in
            try await fixture.engine.sendMessage(
                key, SendMessageInput(body: body, messageGroupID: group, deduplicationID: dedup), senderID: EngineFixture.sender)
        }
        let original = try await send("hello", "A", nil)
        // Same body, other group: still a duplicate (the scope is the queue).
        #expect(try await send("hello", "B", nil).messageID == original.messageID)
        // An explicit id takes precedence over the content.
        let explicit = try await send("hello", "A", "explicit")
        #expect(explicit.messageID != original.messageID)
        let other = try await send("hello!", "A", nil)
        #expect(other.messageID != original.messageID)
        let received = try await Self.receive(fixture, key)
        #expect(Self.bodies(received) == ["hello", "hello", "hello!"])
        #expect(
            received.map { $0.systemAttributes["MessageDeduplicationId"] } == [
                "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", "explicit",
                "ce06092fb948d9ffac7d1a376e404b26b7575bcc11ee05a4615fef4fec3a308b",
            ])
    }

    @Test func withoutContentBasedDeduplicationAnIdIsRequired() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        await #expect(
            throws: EngineError(
                .invalidParameterValue, "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
        ) {
            try await fixture.engine.sendMessage(key, SendMessageInput(body: "x", messageGroupID: "g"), senderID: EngineFixture.sender)
        }
        #expect(try await fixture.counts(key) == [0, 0, 0])
    }

    @Test func messageGroupScopeDeduplicatesWithinAGroupOnly() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(
            fixture, "scoped", ["DeduplicationScope": "messageGroup", "FifoThroughputLimit": "perMessageGroupId"])
        let inA = try await Self.send(fixture, key, "a", group: "A", dedup: "d")
        let inB = try await Self.send(fixture, key, "b", group: "B", dedup: "d")
        #expect(inA.messageID != inB.messageID)
        let duplicateInA = try await Self.send(fixture, key, "a again", group: "A", dedup: "d")
        #expect(duplicateInA.messageID == inA.messageID)
        #expect(duplicateInA.sequenceNumber == inA.sequenceNumber)
        #expect(try await Self.send(fixture, key, "b again", group: "B", dedup: "d").messageID == inB.messageID)
        #expect(try await fixture.storedBodies() == ["a", "b"])
        // Both scoped ids survive a restart.
        let restarted = try await fixture.restarted()
        #expect(try await Self.send(restarted, key, "a", group: "A", dedup: "d").messageID == inA.messageID)
        #expect(try await Self.send(restarted, key, "c", group: "C", dedup: "d").messageID != inA.messageID)
        #expect(try await restarted.storedBodies() == ["a", "b", "c"])
    }

    @Test func deduplicationStateSurvivesARestart() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        let original = try await Self.send(fixture, key, "m", dedup: "d")
        fixture.clock.advance(seconds: 200)

        let restarted = try await fixture.restarted()
        let duplicate = try await Self.send(restarted, key, "m", dedup: "d")
        #expect(duplicate.messageID == original.messageID)
        #expect(duplicate.sequenceNumber == original.sequenceNumber)
        #expect(try await restarted.counts(key) == [1, 0, 0])
        // The window still counts from the original send.
        fixture.clock.advance(seconds: 100)
        let fresh = try await Self.send(restarted, key, "m", dedup: "d")
        #expect(fresh.messageID != original.messageID)
        #expect(try #require(fresh.sequenceNumber) > (try #require(original.sequenceNumber)))
        #expect(try await restarted.counts(key) == [2, 0, 0])

        // An id expired at load time is not restored.
        fixture.clock.advance(seconds: 300)
        let third = try await fixture.restarted()
        #expect(try await Self.send(third, key, "m", dedup: "d").messageID != fresh.messageID)
        #expect(try await third.counts(key) == [3, 0, 0])
    }

    // MARK: - Sequence numbers and FIFO-only rules

    @Test func sequenceNumbersIncreaseAcrossGroupsAndRestarts() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        let standard = try await fixture.createQueue("standard")
        var numbers: [String] = []
        for index in 0..<6 {
            numbers.append(try #require(try await Self.send(fixture, key, "m\(index)", group: "g\(index % 3)").sequenceNumber))
            // Sends to other queues do not break the order.
            try await fixture.send(standard, "s\(index)")
        }
        let restarted = try await fixture.restarted()
        numbers.append(try #require(try await Self.send(restarted, key, "after-restart").sequenceNumber))
        #expect(numbers.allSatisfy { $0.count == 20 && $0.allSatisfy(\.isNumber) })
        let values = numbers.compactMap(UInt64.init)
        #expect(values.count == numbers.count)
        #expect(zip(values, values.dropFirst()).allSatisfy { $0 < $1 })
        // The receive reports the number the send returned.
        let received = try await Self.receive(restarted, key)
        #expect(received.compactMap { $0.systemAttributes["SequenceNumber"] }.sorted() == numbers.sorted())
        // Standard queues have none.
        #expect(try await restarted.send(standard, "plain").sequenceNumber == nil)
        #expect(try await restarted.receive(standard, max: 1).first?.systemAttributes["SequenceNumber"] == nil)
    }

    @Test func messageGroupIdIsRequired() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        await #expect(throws: EngineError(.missingParameter, "The request must contain the parameter MessageGroupId.")) {
            try await fixture.engine.sendMessage(key, SendMessageInput(body: "x", deduplicationID: "d"), senderID: EngineFixture.sender)
        }
        // In a batch, one entry without a group fails the whole request.
        await #expect(throws: EngineError(.invalidParameterValue, "The request must contain the parameter MessageGroupId.")) {
            try await fixture.engine.sendMessageBatch(
                key,
                [
                    BatchEntry(id: "ok", value: SendMessageInput(body: "ok", messageGroupID: "g", deduplicationID: "1")),
                    BatchEntry(id: "bad", value: SendMessageInput(body: "bad", deduplicationID: "2")),
                ],
                senderID: EngineFixture.sender)
        }
        #expect(try await fixture.counts(key) == [0, 0, 0])
    }

    @Test func perMessageDelayIsRejectedButZeroUsesTheQueueDelay() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture, "delayed", ["DelaySeconds": "10"])
        await #expect(
            throws: EngineError(
                .invalidParameterValue, "Value 5 for parameter DelaySeconds is invalid. Reason: The request include parameter that is not valid for this queue type.")
        ) {
            try await Self.send(fixture, key, "x", delaySeconds: 5)
        }
        #expect(try await fixture.counts(key) == [0, 0, 0])
        try await Self.send(fixture, key, "zero", delaySeconds: 0)
        try await Self.send(fixture, key, "default")
        #expect(try await fixture.counts(key) == [0, 0, 2])
        fixture.clock.advance(seconds: 10)
        #expect(Self.bodies(try await Self.receive(fixture, key)) == ["zero", "default"])
    }

    // MARK: - Receive retries and receipt handles

    @Test func aRetriedReceiveRequestAttemptIdReturnsTheSameHandles() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        try await Self.send(fixture, key, "a1", group: "A")
        try await Self.send(fixture, key, "a2", group: "A")
        try await Self.send(fixture, key, "b1", group: "B")

        let first = try await Self.receive(fixture, key, max: 2, visibilityTimeout: 30, attempt: "attempt-1")
        #expect(Self.bodies(first) == ["a1", "a2"])
        fixture.clock.advance(seconds: 5)
        let retried = try await Self.receive(fixture, key, max: 2, visibilityTimeout: 30, attempt: "attempt-1")
        #expect(retried.map(\.receiptHandle) == first.map(\.receiptHandle))
        #expect(retried.map(\.record.messageID) == first.map(\.record.messageID))
        #expect(retried.map(\.record.receiveCount) == [1, 1])
        #expect(try await fixture.store.load().messages.map(\.receiveCount) == [1, 1, 0])
        // Another attempt id is a new receive: only B is unlocked.
        #expect(Self.bodies(try await Self.receive(fixture, key, attempt: "attempt-2")) == ["b1"])
        // The retried handles work.
        try await fixture.engine.deleteMessage(key, receiptHandle: retried[0].receiptHandle)
        #expect(try await fixture.storedBodies() == ["a2", "b1"])

        // Once the attempt's messages are no longer in flight, the id starts a new receive.
        fixture.clock.advance(seconds: 25)
        let fresh = try await Self.receive(fixture, key, max: 1, attempt: "attempt-1")
        #expect(Self.bodies(fresh) == ["a2"])
        #expect(fresh.first?.receiptHandle != first[1].receiptHandle)
        #expect(fresh.first?.record.receiveCount == 2)
    }

    @Test func deletingWithAnExpiredHandleFails() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        try await Self.send(fixture, key, "m")
        let handle = try #require(try await Self.receive(fixture, key, visibilityTimeout: 10).first?.receiptHandle)
        fixture.clock.advance(seconds: 10)
        let expired = EngineError(.invalidParameterValue, "Value \(handle) for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.")
        await #expect(throws: expired) {
            try await fixture.engine.deleteMessage(key, receiptHandle: handle)
        }
        // Still expired after the message was received again; the new handle deletes it.
        let newHandle = try #require(try await Self.receive(fixture, key, visibilityTimeout: 10).first?.receiptHandle)
        await #expect(throws: expired) {
            try await fixture.engine.deleteMessage(key, receiptHandle: handle)
        }
        let batch = try await fixture.engine.deleteMessageBatch(key, [BatchEntry(id: "old", value: handle)])
        #expect(batch.first?.error == expired)
        #expect(try await fixture.storedBodies() == ["m"])
        try await fixture.engine.deleteMessage(key, receiptHandle: newHandle)
        #expect(try await fixture.storedBodies().isEmpty)
    }

    @Test func aHandleWhoseTimeoutWasExtendedStillDeletes() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        try await Self.send(fixture, key, "m")
        let handle = try #require(try await Self.receive(fixture, key, visibilityTimeout: 10).first?.receiptHandle)
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 60)
        fixture.clock.advance(seconds: 30)
        // The group stays locked by the extended message.
        try await Self.send(fixture, key, "next")
        #expect(try await Self.receive(fixture, key).isEmpty)
        try await fixture.engine.deleteMessage(key, receiptHandle: handle)
        #expect(Self.bodies(try await Self.receive(fixture, key)) == ["next"])
    }

    // MARK: - Long polling

    static func startPoll(_ fixture: EngineFixture, _ key: QueueKey, wait: Int = 20, sourceLocation: SourceLocation = #_sourceLocation) async
        -> ReceiveTask
    {
        let engine = fixture.engine
        let task = Task {
            try await engine.receiveMessage(key, ReceiveMessageInput(maxNumberOfMessages: 10, visibilityTimeout: 100, waitTimeSeconds: wait))
        }
        await fixture.waitForWaiters(1, sourceLocation: sourceLocation)
        return task
    }

    static func finished(_ task: ReceiveTask, _ fixture: EngineFixture, sourceLocation: SourceLocation = #_sourceLocation) async throws
        -> [ReceivedMessage]
    {
        await fixture.waitForWaiters(0, sourceLocation: sourceLocation)
        if await fixture.engine.waitingReceiveCount > 0 {
            await fixture.engine.endLongPolls()
        }
        return try await task.value
    }

    static func expectStillWaiting(_ fixture: EngineFixture, sourceLocation: SourceLocation = #_sourceLocation) async {
        for _ in 0..<200 { await Task.yield() }
        #expect(await fixture.engine.waitingReceiveCount == 1, sourceLocation: sourceLocation)
    }

    @Test func aLongPollOnALockedGroupIsWokenByTheDelete() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        try await Self.send(fixture, key, "first")
        try await Self.send(fixture, key, "second")
        let handle = try #require(try await Self.receive(fixture, key, max: 1, visibilityTimeout: 60).first?.receiptHandle)
        let poll = await Self.startPoll(fixture, key)
        fixture.clock.advance(seconds: 2)
        await Self.expectStillWaiting(fixture)
        try await fixture.engine.deleteMessage(key, receiptHandle: handle)
        let received = try await Self.finished(poll, fixture)
        #expect(Self.bodies(received) == ["second"])
        #expect(received.first?.record.firstReceivedAt == EngineFixture.start.adding(seconds: 2))
    }

    @Test func aLongPollOnALockedGroupIsWokenByABatchDelete() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        try await Self.send(fixture, key, "first")
        try await Self.send(fixture, key, "second")
        let handle = try #require(try await Self.receive(fixture, key, max: 1, visibilityTimeout: 60).first?.receiptHandle)
        let poll = await Self.startPoll(fixture, key)
        await Self.expectStillWaiting(fixture)
        let outcomes = try await fixture.engine.deleteMessageBatch(key, [BatchEntry(id: "one", value: handle)])
        #expect(outcomes.allSatisfy { $0.error == nil })
        #expect(Self.bodies(try await Self.finished(poll, fixture)) == ["second"])
    }

    @Test func aLongPollOnALockedGroupIsWokenWhenTheVisibilityTimeoutEnds() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await Self.createFIFO(fixture)
        try await Self.send(fixture, key, "first")
        try await Self.send(fixture, key, "second")
        #expect(Self.bodies(try await Self.receive(fixture, key, max: 1, visibilityTimeout: 10)) == ["first"])
        let poll = await Self.startPoll(fixture, key)
        await fixture.waitUntil("the poll's timer sleeps") { fixture.clock.sleeperCount == 1 }
        fixture.clock.advance(seconds: 9)
        await Self.expectStillWaiting(fixture)
        fixture.clock.advance(seconds: 1)
        let received = try await Self.finished(poll, fixture)
        #expect(Self.bodies(received) == ["first", "second"])
        #expect(received.map(\.record.receiveCount) == [2, 1])
    }
}
