import Testing

@testable import SQSEngine

struct VisibilityTests {
    static let garbage = "not-a-receipt-handle"

    static func invalidHandle(_ handle: String) -> EngineError {
        EngineError(.receiptHandleIsInvalid, "The input receipt handle \"\(handle)\" is not a valid receipt handle.")
    }

    @Test func messageReappearsExactlyWhenTheTimeoutExpires() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["VisibilityTimeout": "30"])
        try await fixture.send(key, "m")
        let first = try await fixture.receive(key)
        #expect(first.count == 1)
        #expect(try await fixture.counts(key) == [0, 1, 0])
        fixture.clock.advance(milliseconds: 29_999)
        #expect(try await fixture.receive(key).isEmpty)
        #expect(try await fixture.counts(key) == [0, 1, 0])
        fixture.clock.advance(milliseconds: 1)
        #expect(try await fixture.counts(key) == [1, 0, 0])
        let second = try await fixture.receive(key)
        #expect(second.map(\.record.messageID) == first.map(\.record.messageID))
        #expect(second.first?.record.receiveCount == 2)
    }

    @Test func deleteWithCurrentHandleRemovesTheMessage() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key).first?.receiptHandle)
        try await fixture.engine.deleteMessage(key, receiptHandle: handle)
        #expect(try await fixture.counts(key) == [0, 0, 0])
        #expect(try await fixture.storedBodies().isEmpty)
        // Deleting again succeeds: the message is simply gone.
        try await fixture.engine.deleteMessage(key, receiptHandle: handle)
        fixture.clock.advance(seconds: 60)
        #expect(try await fixture.receive(key).isEmpty)
    }

    @Test func deleteWithExpiredHandleSucceedsOnStandardQueue() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["VisibilityTimeout": "10"])
        try await fixture.send(key, "m")
        let stale = try #require(try await fixture.receive(key).first?.receiptHandle)
        fixture.clock.advance(seconds: 10)
        // Visible again, never re-received: the expired handle still deletes it.
        try await fixture.engine.deleteMessage(key, receiptHandle: stale)
        #expect(try await fixture.counts(key) == [0, 0, 0])
        #expect(try await fixture.receive(key).isEmpty)
    }

    @Test func deleteWithOlderHandleAfterReReceiveSucceedsOnStandardQueue() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["VisibilityTimeout": "10"])
        try await fixture.send(key, "m")
        let older = try #require(try await fixture.receive(key).first?.receiptHandle)
        fixture.clock.advance(seconds: 10)
        let newer = try #require(try await fixture.receive(key).first?.receiptHandle)
        #expect(older != newer)
        try await fixture.engine.deleteMessage(key, receiptHandle: older)
        #expect(try await fixture.counts(key) == [0, 0, 0])
        #expect(try await fixture.storedBodies().isEmpty)
    }

    @Test func garbageHandlesAreInvalid() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let other = try await fixture.createQueue("other")
        try await fixture.send(other, "elsewhere")
        let foreign = try #require(try await fixture.receive(other).first?.receiptHandle)
        // A handle with one character changed fails the check byte (or the length).
        var tampered = Array(foreign)
        tampered[10] = tampered[10] == "A" ? "B" : "A"
        let tamperedHandle = String(tampered)
        for handle in [Self.garbage, "", foreign, tamperedHandle, foreign + "AAAA"] {
            await #expect(throws: Self.invalidHandle(handle)) {
                try await fixture.engine.deleteMessage(key, receiptHandle: handle)
            }
            await #expect(throws: Self.invalidHandle(handle)) {
                try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 5)
            }
        }
        // The foreign message was not touched.
        #expect(try await fixture.counts(other) == [0, 1, 0])
    }

    @Test func changeVisibilityExtendsAndShortens() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["VisibilityTimeout": "30"])
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key).first?.receiptHandle)
        fixture.clock.advance(seconds: 20)
        // 100 s from now, not from the receive.
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 100)
        fixture.clock.advance(seconds: 99)
        #expect(try await fixture.receive(key).isEmpty)
        #expect(try await fixture.store.load().messages.first?.visibleAt == EngineFixture.start.adding(seconds: 120))
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 5)
        fixture.clock.advance(seconds: 4)
        #expect(try await fixture.receive(key).isEmpty)
        fixture.clock.advance(seconds: 1)
        #expect(try await fixture.receive(key).map(\.record.receiveCount) == [2])
    }

    @Test func changeVisibilityToZeroMakesMessageVisibleAtOnce() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key).first?.receiptHandle)
        #expect(try await fixture.counts(key) == [0, 1, 0])
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 0)
        #expect(try await fixture.counts(key) == [1, 0, 0])
        let again = try await fixture.receive(key)
        #expect(again.map(\.record.receiveCount) == [2])
        #expect(again.first?.record.firstReceivedAt == EngineFixture.start)
    }

    @Test func changeVisibilityOfMessageNoLongerInFlightIsANoOp() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["VisibilityTimeout": "10"])
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key).first?.receiptHandle)
        fixture.clock.advance(seconds: 10)
        let submissions = fixture.store.submissionCount
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 600)
        #expect(fixture.store.submissionCount == submissions)
        #expect(try await fixture.counts(key) == [1, 0, 0])
        // An older handle of a message that is in flight again applies, as on AWS.
        _ = try #require(try await fixture.receive(key).first)
        #expect(try await fixture.counts(key) == [0, 1, 0])
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 0)
        #expect(try await fixture.counts(key) == [1, 0, 0])
        #expect(try await fixture.store.load().messages.first?.visibleAt == fixture.clock.now())
    }

    @Test func changeVisibilityOfDeletedMessageFails() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key).first?.receiptHandle)
        try await fixture.engine.deleteMessage(key, receiptHandle: handle)
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "Value \(handle) for parameter ReceiptHandle is invalid. Reason: Message does not exist or is not available for visibility timeout change."
            )
        ) {
            try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 10)
        }
    }

    @Test func changeVisibilityValidatesTheTimeout() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        let handle = try #require(try await fixture.receive(key).first?.receiptHandle)
        for bad in [-1, 43_201] {
            await #expect(
                throws: EngineError(
                    .invalidParameterValue, "Value \(bad) for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided.")
            ) {
                try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: bad)
            }
        }
        // 12 hours from the receive is the ceiling: allowed at once, refused a second later.
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 43_200)
        fixture.clock.advance(seconds: 1)
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "Value 43200 for parameter VisibilityTimeout is invalid. Reason: Total VisibilityTimeout for the message is beyond the limit [43200 seconds]."
            )
        ) {
            try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 43_200)
        }
        try await fixture.engine.changeMessageVisibility(key, receiptHandle: handle, visibilityTimeout: 43_199)
        #expect(try await fixture.store.load().messages.first?.visibleAt == EngineFixture.start.adding(seconds: 43_200))
    }

    @Test func deleteBatchReportsPerEntryFailures() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        for body in ["a", "b", "c"] { try await fixture.send(key, body) }
        let received = try await fixture.receive(key)
        #expect(received.map(\.record.body) == ["a", "b", "c"])
        let outcomes = try await fixture.engine.deleteMessageBatch(
            key,
            [
                BatchEntry(id: "a", value: received[0].receiptHandle),
                BatchEntry(id: "garbage", value: Self.garbage),
                BatchEntry(id: "c", value: received[2].receiptHandle),
            ])
        #expect(outcomes.map(\.id) == ["a", "garbage", "c"])
        #expect(outcomes.map { $0.error } == [nil, Self.invalidHandle(Self.garbage), nil])
        #expect(try await fixture.storedBodies() == ["b"])
        #expect(try await fixture.counts(key) == [0, 1, 0])
    }

    @Test func deleteBatchRequestLevelErrors() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        await #expect(throws: EngineError(.emptyBatchRequest, "There should be at least one DeleteMessageBatchRequestEntry in the request.")) {
            try await fixture.engine.deleteMessageBatch(key, [])
        }
        await #expect(throws: EngineError(.batchEntryIdsNotDistinct, "Id x repeated.")) {
            try await fixture.engine.deleteMessageBatch(key, [BatchEntry(id: "x", value: Self.garbage), BatchEntry(id: "x", value: Self.garbage)])
        }
        await #expect(throws: EngineError(.tooManyEntriesInBatchRequest, "Maximum number of entries per request are 10. You have sent 11.")) {
            try await fixture.engine.deleteMessageBatch(key, (0..<11).map { BatchEntry(id: "e\($0)", value: Self.garbage) })
        }
    }

    @Test func changeVisibilityBatchReportsPerEntryFailures() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["VisibilityTimeout": "30"])
        for body in ["a", "b", "c", "d"] { try await fixture.send(key, body) }
        let received = try await fixture.receive(key)
        #expect(received.count == 4)
        let outcomes = try await fixture.engine.changeMessageVisibilityBatch(
            key,
            [
                BatchEntry(id: "zero", value: (receiptHandle: received[0].receiptHandle, visibilityTimeout: 0)),
                BatchEntry(id: "long", value: (receiptHandle: received[1].receiptHandle, visibilityTimeout: 300)),
                BatchEntry(id: "bad_handle", value: (receiptHandle: Self.garbage, visibilityTimeout: 0)),
                BatchEntry(id: "bad_timeout", value: (receiptHandle: received[3].receiptHandle, visibilityTimeout: 43_201)),
            ])
        #expect(outcomes.map(\.id) == ["zero", "long", "bad_handle", "bad_timeout"])
        #expect(
            outcomes.map { $0.error } == [
                nil, nil, Self.invalidHandle(Self.garbage),
                EngineError(
                    .invalidParameterValue, "Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be between 0 and 43200, if provided."),
            ])
        #expect(try await fixture.counts(key) == [1, 3, 0])
        #expect(try await fixture.receive(key, visibilityTimeout: 100).map(\.record.body) == ["a"])
        fixture.clock.advance(seconds: 30)
        // c and d kept the queue's 30 s; b was extended to 300 s; a was re-received for 100 s.
        #expect(try await fixture.receive(key, visibilityTimeout: 1000).map(\.record.body) == ["c", "d"])
        fixture.clock.advance(seconds: 270)
        #expect(try await fixture.receive(key).map(\.record.body) == ["a", "b"])
    }

    @Test func changeVisibilityBatchRequestLevelErrors() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        await #expect(
            throws: EngineError(.emptyBatchRequest, "There should be at least one ChangeMessageVisibilityBatchRequestEntry in the request.")
        ) {
            try await fixture.engine.changeMessageVisibilityBatch(key, [])
        }
        await #expect(
            throws: EngineError(
                .invalidBatchEntryId,
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
        ) {
            try await fixture.engine.changeMessageVisibilityBatch(
                key, [BatchEntry(id: String(repeating: "i", count: 81), value: (receiptHandle: Self.garbage, visibilityTimeout: 0))])
        }
    }
}
