import Testing

@testable import SQSEngine

struct SendReceiveTests {
    static let traceHeader = "Root=1-5759e988-bd862e3fe1be46a994272793"

    @Test func sendReturnsDigestsAndStoresTheMessage() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let input = SendMessageInput(
            body: "test", attributes: ["attribName1": .string("attribValue 1")],
            systemAttributes: ["AWSTraceHeader": .string(Self.traceHeader)])
        let result = try await fixture.engine.sendMessage(key, input, senderID: EngineFixture.sender)
        #expect(result.md5OfBody == "098f6bcd4621d373cade4e832627b4f6")
        #expect(result.md5OfAttributes == "19e27d4e946b072f3f58da80d94fd778")
        #expect(result.md5OfSystemAttributes == "62a56dd927315f2b2e12832b84617ea5")
        #expect(result.sequenceNumber == nil)
        #expect(result.messageID.count == 36)
        #expect(result.messageID == result.messageID.lowercased())
        #expect(result.messageID.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])

        let stored = try #require(try await fixture.store.load().messages.first)
        #expect(stored.messageID == result.messageID)
        #expect(stored.body == "test")
        #expect(stored.senderID == EngineFixture.sender)
        #expect(stored.sentAt == EngineFixture.start)
        #expect(stored.visibleAt == EngineFixture.start)
        #expect(stored.receiveCount == 0)
        #expect(stored.firstReceivedAt == nil)
        #expect(stored.attributes == ["attribName1": .string("attribValue 1")])
    }

    @Test func sendWithoutAttributesHasNoAttributeDigests() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let result = try await fixture.send(key, "hello")
        #expect(result.md5OfBody == "5d41402abc4b2a76b9719d911017c592")
        #expect(result.md5OfAttributes == nil)
        #expect(result.md5OfSystemAttributes == nil)
        let second = try await fixture.send(key, "hello")
        #expect(second.messageID != result.messageID)
    }

    @Test func receivedMessageCarriesContentAndSystemAttributes() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let attributes: [String: MessageAttributeValue] = [
            "attribName1": .string("attribValue 1"), "n": .number("-1.5e3"), "b": .binary([0, 1, 255]),
        ]
        let sent = try await fixture.engine.sendMessage(
            key, SendMessageInput(body: "héllo 世界", attributes: attributes, systemAttributes: ["AWSTraceHeader": .string(Self.traceHeader)]),
            senderID: "AIDASENDER")
        fixture.clock.advance(milliseconds: 1234)
        let received = try await fixture.receive(key)
        #expect(received.count == 1)
        let message = try #require(received.first)
        #expect(message.record.messageID == sent.messageID)
        #expect(message.record.body == "héllo 世界")
        #expect(message.record.md5OfBody == "43bc99102ce99a607b562e210927ab2c")
        #expect(message.record.md5OfAttributes == sent.md5OfAttributes)
        #expect(message.record.attributes == attributes)
        let sentMillis = String(EngineFixture.start.milliseconds)
        let receivedMillis = String(EngineFixture.start.milliseconds + 1234)
        #expect(
            message.systemAttributes == [
                "SenderId": "AIDASENDER", "SentTimestamp": sentMillis, "ApproximateReceiveCount": "1",
                "ApproximateFirstReceiveTimestamp": receivedMillis, "AWSTraceHeader": Self.traceHeader,
            ])
    }

    @Test func receiveOnEmptyQueueReturnsNothing() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        #expect(try await fixture.receive(key).isEmpty)
        #expect(fixture.clock.sleeperCount == 0)
        #expect(await fixture.engine.waitingReceiveCount == 0)
    }

    @Test func receiveReturnsMessagesInSendOrderUpToTheMaximum() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        for index in 0..<12 {
            try await fixture.send(key, "m\(index)")
        }
        let first = try await fixture.receive(key, max: 3)
        #expect(first.map(\.record.body) == ["m0", "m1", "m2"])
        let second = try await fixture.receive(key, max: 10)
        #expect(second.map(\.record.body) == ["m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11"])
        #expect(try await fixture.receive(key, max: 10).isEmpty)
        #expect(try await fixture.counts(key) == [0, 12, 0])
    }

    @Test func receiveCountsAndFirstReceiveTimestamp() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "again")
        fixture.clock.advance(seconds: 5)
        let first = try #require(try await fixture.receive(key, visibilityTimeout: 10).first)
        #expect(first.record.receiveCount == 1)
        #expect(first.record.firstReceivedAt == EngineFixture.start.adding(seconds: 5))
        #expect(first.record.lastReceivedAt == EngineFixture.start.adding(seconds: 5))

        fixture.clock.advance(seconds: 10)
        let second = try #require(try await fixture.receive(key, visibilityTimeout: 10).first)
        #expect(second.record.receiveCount == 2)
        #expect(second.record.firstReceivedAt == EngineFixture.start.adding(seconds: 5))
        #expect(second.record.lastReceivedAt == EngineFixture.start.adding(seconds: 15))
        #expect(second.systemAttributes["ApproximateReceiveCount"] == "2")
        #expect(second.systemAttributes["ApproximateFirstReceiveTimestamp"] == String(EngineFixture.start.adding(seconds: 5).milliseconds))
        #expect(second.systemAttributes["SentTimestamp"] == String(EngineFixture.start.milliseconds))

        fixture.clock.advance(seconds: 10)
        let third = try #require(try await fixture.receive(key, visibilityTimeout: 10).first)
        #expect(third.record.receiveCount == 3)

        let stored = try #require(try await fixture.store.load().messages.first)
        #expect(stored.receiveCount == 3)
        #expect(stored.firstReceivedAt == EngineFixture.start.adding(seconds: 5))
        #expect(stored.lastReceivedAt == EngineFixture.start.adding(seconds: 25))
        #expect(stored.visibleAt == EngineFixture.start.adding(seconds: 35))
    }

    @Test func eachReceiveGivesANewReceiptHandle() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        var handles: Set<String> = []
        for _ in 0..<5 {
            let received = try await fixture.receive(key, visibilityTimeout: 1)
            let handle = try #require(received.first?.receiptHandle)
            #expect(handle.utf8.count == 36)
            let decoded = try #require(ReceiptHandle(encoded: handle))
            #expect(decoded.sequence == received[0].record.sequence)
            #expect(decoded.token == received[0].record.receiptToken)
            #expect(decoded.queueID == received[0].record.queueID)
            handles.insert(handle)
            fixture.clock.advance(seconds: 1)
        }
        #expect(handles.count == 5)
    }

    @Test func receiveVisibilityOverrideAndQueueDefault() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["VisibilityTimeout": "20"])
        try await fixture.send(key, "default")
        try await fixture.send(key, "override")
        let byDefault = try await fixture.receive(key, max: 1)
        #expect(byDefault.first?.record.visibleAt == EngineFixture.start.adding(seconds: 20))
        let overridden = try await fixture.receive(key, max: 1, visibilityTimeout: 3)
        #expect(overridden.first?.record.body == "override")
        #expect(overridden.first?.record.visibleAt == EngineFixture.start.adding(seconds: 3))
        fixture.clock.advance(seconds: 3)
        #expect(try await fixture.receive(key).map(\.record.body) == ["override"])
    }

    @Test func receiveWithZeroVisibilityLeavesMessageVisible() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "a")
        try await fixture.send(key, "b")
        // Every message at most once per receive, even though each becomes visible again at once.
        let first = try await fixture.receive(key, max: 10, visibilityTimeout: 0)
        #expect(first.map(\.record.body) == ["a", "b"])
        #expect(first.map(\.record.receiveCount) == [1, 1])
        #expect(try await fixture.counts(key) == [2, 0, 0])
        let second = try await fixture.receive(key, max: 10, visibilityTimeout: 0)
        #expect(second.map(\.record.body) == ["a", "b"])
        #expect(second.map(\.record.receiveCount) == [2, 2])
        fixture.clock.advance(seconds: 1)
        let third = try await fixture.receive(key, max: 1, visibilityTimeout: 0)
        #expect(third.map(\.record.body) == ["a"])
        #expect(third.map(\.record.receiveCount) == [3])
    }

    @Test func zeroVisibilityReceiveTakesEachMessageOnce() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "a")
        try await fixture.send(key, "b")
        fixture.clock.advance(seconds: 1)
        let received = try await fixture.receive(key, max: 10, visibilityTimeout: 0)
        #expect(received.map(\.record.body) == ["a", "b"])
        #expect(received.map(\.record.receiveCount) == [1, 1])
        let stored = try await fixture.store.load().messages
        #expect(stored.map(\.receiveCount) == [1, 1])
        #expect(stored.map(\.visibleAt) == [EngineFixture.start.adding(seconds: 1), EngineFixture.start.adding(seconds: 1)])
        let again = try await fixture.receive(key, max: 10, visibilityTimeout: 0)
        #expect(again.map(\.record.body) == ["a", "b"])
        #expect(again.map(\.record.receiveCount) == [2, 2])
    }

    @Test(arguments: [0, 11, -1])
    func maxNumberOfMessagesIsValidated(max: Int) async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.send(key, "m")
        await #expect(
            throws: EngineError(.invalidParameterValue, "Value \(max) for parameter MaxNumberOfMessages is invalid. Reason: Must be between 1 and 10, if provided.")
        ) {
            try await fixture.engine.receiveMessage(key, ReceiveMessageInput(maxNumberOfMessages: max))
        }
        #expect(try await fixture.counts(key) == [1, 0, 0])
    }

    @Test func receiveVisibilityAndWaitAreValidated() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        await #expect(
            throws: EngineError(.invalidParameterValue, "Value 43201 for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.")
        ) {
            try await fixture.engine.receiveMessage(key, ReceiveMessageInput(visibilityTimeout: 43_201))
        }
        await #expect(
            throws: EngineError(.invalidParameterValue, "Value -1 for parameter VisibilityTimeout is invalid. Reason: Must be >= 0 and <= 43200, if provided.")
        ) {
            try await fixture.engine.receiveMessage(key, ReceiveMessageInput(visibilityTimeout: -1))
        }
        await #expect(
            throws: EngineError(.invalidParameterValue, "Value 21 for parameter WaitTimeSeconds is invalid. Reason: Must be >= 0 and <= 20, if provided.")
        ) {
            try await fixture.engine.receiveMessage(key, ReceiveMessageInput(waitTimeSeconds: 21))
        }
    }

    @Test func sendValidatesTheMessage() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q", ["MaximumMessageSize": "1024"])
        await #expect(throws: EngineError(.missingParameter, "The request must contain the parameter MessageBody.")) {
            try await fixture.engine.sendMessage(key, SendMessageInput(body: ""), senderID: EngineFixture.sender)
        }
        await #expect(
            throws: EngineError(.invalidParameterValue, "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.")
        ) {
            try await fixture.engine.sendMessage(key, SendMessageInput(body: String(repeating: "x", count: 1025)), senderID: EngineFixture.sender)
        }
        // Attributes count toward the size: 1020 + "ab" + "String" + "c" = 1029.
        await #expect(
            throws: EngineError(.invalidParameterValue, "One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.")
        ) {
            try await fixture.engine.sendMessage(
                key, SendMessageInput(body: String(repeating: "x", count: 1020), attributes: ["ab": .string("c")]), senderID: EngineFixture.sender)
        }
        _ = try await fixture.engine.sendMessage(key, SendMessageInput(body: String(repeating: "x", count: 1024)), senderID: EngineFixture.sender)
        await #expect(
            throws: EngineError(
                .invalidMessageContents,
                "Invalid characters found. Valid unicode characters are #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF")
        ) {
            try await fixture.engine.sendMessage(key, SendMessageInput(body: "bell\u{7}"), senderID: EngineFixture.sender)
        }
        await #expect(
            throws: EngineError(.invalidParameterValue, "Value 901 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900.")
        ) {
            try await fixture.engine.sendMessage(key, SendMessageInput(body: "x", delaySeconds: 901), senderID: EngineFixture.sender)
        }
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "Value d1 for parameter MessageDeduplicationId is invalid. Reason: The request include parameter that is not valid for this queue type.")
        ) {
            try await fixture.engine.sendMessage(key, SendMessageInput(body: "x", deduplicationID: "d1"), senderID: EngineFixture.sender)
        }
        #expect(try await fixture.storedBodies() == [String(repeating: "x", count: 1024)])
    }

    @Test func sendBatchReportsPerEntryFailures() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let outcomes = try await fixture.engine.sendMessageBatch(
            key,
            [
                BatchEntry(id: "ok-1", value: SendMessageInput(body: "first")),
                BatchEntry(id: "empty", value: SendMessageInput(body: "")),
                BatchEntry(id: "delayed", value: SendMessageInput(body: "later", delaySeconds: 30)),
                BatchEntry(id: "bad_delay", value: SendMessageInput(body: "x", delaySeconds: 1000)),
            ],
            senderID: EngineFixture.sender)
        #expect(outcomes.map(\.id) == ["ok-1", "empty", "delayed", "bad_delay"])
        #expect(outcomes[0].error == nil)
        #expect(try outcomes[0].result.get().md5OfBody == "8b04d5e3775d298e78455efc5ca404d5")
        #expect(outcomes[1].error == EngineError(.missingParameter, "The request must contain the parameter MessageBody."))
        #expect(outcomes[2].error == nil)
        #expect(
            outcomes[3].error
                == EngineError(.invalidParameterValue, "Value 1000 for parameter DelaySeconds is invalid. Reason: DelaySeconds must be >= 0 and <= 900."))
        #expect(try await fixture.storedBodies() == ["first", "later"])
        #expect(try await fixture.counts(key) == [1, 0, 1])
    }

    @Test func sendBatchRequestLevelErrors() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let entry = { (id: String) in BatchEntry(id: id, value: SendMessageInput(body: "b")) }
        await #expect(throws: EngineError(.emptyBatchRequest, "There should be at least one SendMessageBatchRequestEntry in the request.")) {
            try await fixture.engine.sendMessageBatch(key, [], senderID: EngineFixture.sender)
        }
        await #expect(throws: EngineError(.tooManyEntriesInBatchRequest, "Maximum number of entries per request are 10. You have sent 11.")) {
            try await fixture.engine.sendMessageBatch(key, (0..<11).map { entry("e\($0)") }, senderID: EngineFixture.sender)
        }
        await #expect(throws: EngineError(.batchEntryIdsNotDistinct, "Id same repeated.")) {
            try await fixture.engine.sendMessageBatch(key, [entry("same"), entry("same")], senderID: EngineFixture.sender)
        }
        await #expect(
            throws: EngineError(
                .invalidBatchEntryId,
                "A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.")
        ) {
            try await fixture.engine.sendMessageBatch(key, [entry("bad id")], senderID: EngineFixture.sender)
        }
        let big = String(repeating: "x", count: 262_144)
        await #expect(throws: EngineError(.batchRequestTooLong, "Batch requests cannot be longer than 1048576 bytes. You have sent 1048577 bytes.")) {
            var entries = (0..<4).map { BatchEntry(id: "e\($0)", value: SendMessageInput(body: big)) }
            entries.append(BatchEntry(id: "last", value: SendMessageInput(body: "y")))
            _ = try await fixture.engine.sendMessageBatch(key, entries, senderID: EngineFixture.sender)
        }
        #expect(try await fixture.storedBodies().isEmpty)
    }
}
