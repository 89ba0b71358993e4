import Testing

@testable import SQSEngine

/// A second engine started on the same ``MemoryQueueStore`` must see exactly what the first one
/// left, as after a restart.
struct DurabilityTests {
    @Test func queuesAttributesAndTagsSurviveARestart() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("orders", ["VisibilityTimeout": "45", "DelaySeconds": "3"], tags: ["team": "core"])
        try await fixture.createQueue("other")
        fixture.clock.advance(seconds: 100)
        try await fixture.engine.setQueueAttributes(key, attributes: ["MessageRetentionPeriod": "600"])
        try await fixture.engine.tagQueue(key, tags: ["env": "dev"])
        let before = try await fixture.engine.getQueueAttributes(key, names: ["All"])

        let restarted = try await fixture.restarted()
        #expect(try await restarted.engine.getQueueAttributes(key, names: ["All"]) == before)
        #expect(before["LastModifiedTimestamp"] == "1704067300")
        #expect(before["CreatedTimestamp"] == "1704067200")
        #expect(before["MessageRetentionPeriod"] == "600")
        #expect(try await restarted.engine.listQueueTags(key) == ["team": "core", "env": "dev"])
        let listed = try await restarted.engine.listQueues(
            account: EngineFixture.account, region: EngineFixture.region, prefix: nil, maxResults: nil, nextToken: nil)
        #expect(listed.queues.map(\.name) == ["orders", "other"])
        // The restarted engine applies the stored settings: the queue's delay holds new messages.
        try await restarted.send(key, "delayed by the queue")
        #expect(try await restarted.counts(key) == [0, 0, 1])
    }

    @Test func messagesAndReceiveStateSurviveARestart() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["VisibilityTimeout": "30"])
        let attributes: [String: MessageAttributeValue] = ["attribName1": .string("attribValue 1")]
        let sent = try await fixture.engine.sendMessage(key, SendMessageInput(body: "first", attributes: attributes), senderID: EngineFixture.sender)
        try await fixture.send(key, "second")
        try await fixture.send(key, "delayed", delaySeconds: 120)
        fixture.clock.advance(seconds: 5)
        let received = try await fixture.receive(key, max: 1)
        #expect(received.map(\.record.body) == ["first"])

        let restarted = try await fixture.restarted()
        #expect(try await restarted.counts(key) == [1, 1, 1])
        // Only "second" is visible; "first" is still in flight after the restart.
        let afterRestart = try await restarted.receive(key)
        #expect(afterRestart.map(\.record.body) == ["second"])
        #expect(afterRestart.first?.record.receiveCount == 1)
        fixture.clock.advance(seconds: 30)
        let again = try #require(try await restarted.receive(key, max: 1, visibilityTimeout: 3600).first)
        #expect(again.record.body == "first")
        #expect(again.record.messageID == sent.messageID)
        #expect(again.record.md5OfBody == sent.md5OfBody)
        #expect(again.record.md5OfAttributes == "19e27d4e946b072f3f58da80d94fd778")
        #expect(again.record.attributes == attributes)
        #expect(again.record.receiveCount == 2)
        #expect(again.record.firstReceivedAt == EngineFixture.start.adding(seconds: 5))
        #expect(again.record.sentAt == EngineFixture.start)
        #expect(again.systemAttributes["SenderId"] == EngineFixture.sender)
        fixture.clock.advance(seconds: 85)
        #expect(try await restarted.receive(key, visibilityTimeout: 600).map(\.record.body) == ["second", "delayed"])
    }

    @Test func receiptHandlesRemainValidAcrossARestart() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["VisibilityTimeout": "60"])
        try await fixture.send(key, "to delete")
        try await fixture.send(key, "to release")
        let received = try await fixture.receive(key)
        #expect(received.map(\.record.body) == ["to delete", "to release"])

        let restarted = try await fixture.restarted()
        try await restarted.engine.deleteMessage(key, receiptHandle: received[0].receiptHandle)
        try await restarted.engine.changeMessageVisibility(key, receiptHandle: received[1].receiptHandle, visibilityTimeout: 0)
        #expect(try await restarted.counts(key) == [1, 0, 0])
        #expect(try await restarted.storedBodies() == ["to release"])
        let third = try await fixture.restarted()
        #expect(try await third.receive(key).map(\.record.receiveCount) == [2])
    }

    @Test func visibilityCeilingCountsFromTheReceiveBeforeARestart() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key, visibilityTimeout: 43_200).first?.receiptHandle)
        fixture.clock.advance(seconds: 100)

        let restarted = try await fixture.restarted()
        #expect(try await restarted.counts(key) == [0, 1, 0])
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "Value 43101 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]."
            )
        ) {
            try await restarted.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 43_101)
        }
        try await restarted.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 43_100)
        fixture.clock.advance(seconds: 43_099)
        #expect(try await restarted.receive(key).isEmpty)
        fixture.clock.advance(seconds: 1)
        #expect(try await restarted.receive(key).map(\.record.receiveCount) == [2])
    }

    @Test func deletionsAndPurgesSurviveARestart() async throws {
        let fixture = try await EngineFixture.make()
        let gone = try await fixture.createQueue("gone")
        let purged = try await fixture.createQueue("purged")
        let kept = try await fixture.createQueue("kept")
        try await fixture.send(gone, "x")
        try await fixture.send(purged, "y")
        try await fixture.send(kept, "z")
        try await fixture.engine.deleteQueue(gone)
        try await fixture.engine.purgeQueue(purged)

        let restarted = try await fixture.restarted()
        #expect(await !restarted.engine.queueExists(gone))
        #expect(try await restarted.counts(purged) == [0, 0, 0])
        #expect(try await restarted.receive(kept).map(\.record.body) == ["z"])
        // The purge time came back too: a second purge within 60 s is refused.
        await #expect(throws: EngineError(.purgeQueueInProgress, "Only one PurgeQueue operation on purged is allowed every 60 seconds.")) {
            try await restarted.engine.purgeQueue(purged)
        }
    }

    @Test func idsAreNeverReusedAfterARestart() async throws {
        let fixture = try await EngineFixture.make()
        let first = try await fixture.createQueue("first")
        try await fixture.createQueue("second")
        try await fixture.send(first, "a")
        try await fixture.send(first, "b")
        let handle = try #require(try await fixture.receive(first, max: 1).first?.receiptHandle)
        try await fixture.engine.deleteQueue(first)

        let restarted = try await fixture.restarted()
        let recreated = try await restarted.engine.createQueue(first, attributes: [:], tags: [:])
        try await restarted.send(recreated, "c")
        let snapshot = try await restarted.store.load()
        #expect(snapshot.queues.map(\.id) == [2, 3])
        #expect(snapshot.messages.map(\.sequence) == [3])
        #expect(snapshot.highestQueueID == 3)
        #expect(snapshot.highestSequence == 3)
        // A handle for the deleted queue does not name the new queue with the same name.
        await #expect(throws: EngineError(.receiptHandleIsInvalid, "The input receipt handle \"\(handle)\" is not a valid receipt handle.")) {
            try await restarted.engine.deleteMessage(recreated, receiptHandle: handle)
        }
    }

    @Test func everyChangeReachesTheStoreBeforeTheCallReturns() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        #expect(fixture.store.submissionCount == 1)
        try await fixture.send(key, "m")
        #expect(fixture.store.submissionCount == 2)
        #expect(try await fixture.storedBodies() == ["m"])
        let received = try await fixture.receive(key)
        #expect(fixture.store.submissionCount == 3)
        #expect(try await fixture.store.load().messages.first?.receiveCount == 1)
        #expect(try await fixture.store.load().messages.first?.receiptToken == received.first?.record.receiptToken)
        // An empty receive stores nothing.
        #expect(try await fixture.receive(key).isEmpty)
        #expect(fixture.store.submissionCount == 3)
        try await fixture.engine.deleteMessage(key, receiptHandle: try #require(received.first?.receiptHandle))
        #expect(fixture.store.submissionCount == 4)
        #expect(try await fixture.storedBodies().isEmpty)
    }
}
