import Testing

@testable import SQSEngine

struct QueueLifecycleTests {
    // MARK: - CreateQueue

    @Test func createQueueStoresDefaults() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("orders")
        #expect(key == EngineFixture.key("orders"))
        #expect(await fixture.engine.queueExists(key))
        #expect(try await fixture.engine.getQueue(key) == key)
        let stored = try await fixture.store.load().queues
        #expect(stored.count == 1)
        #expect(stored.first?.key == key)
        #expect(stored.first?.id == 1)
        #expect(
            stored.first?.attributes == [
                "DelaySeconds": "0", "MaximumMessageSize": "1048576", "MessageRetentionPeriod": "345600",
                "ReceiveMessageWaitTimeSeconds": "0", "VisibilityTimeout": "30", "SqsManagedSseEnabled": "true",
            ])
        #expect(stored.first?.createdAt == EngineFixture.start)
        #expect(stored.first?.modifiedAt == EngineFixture.start)
    }

    @Test func createQueueIsIdempotentWithSameAttributes() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("orders", ["VisibilityTimeout": "45", "DelaySeconds": "5"])
        fixture.clock.advance(seconds: 10)
        // Same values (one spelled with spaces, canonicalised to the same number), or a subset, or nothing.
        #expect(try await fixture.engine.createQueue(key, attributes: ["VisibilityTimeout": " 45 ", "DelaySeconds": "5"], tags: [:]) == key)
        #expect(try await fixture.engine.createQueue(key, attributes: ["DelaySeconds": "5"], tags: [:]) == key)
        #expect(try await fixture.engine.createQueue(key, attributes: [:], tags: [:]) == key)
        let stored = try await fixture.store.load().queues
        #expect(stored.count == 1)
        #expect(stored.first?.createdAt == EngineFixture.start)
        #expect(stored.first?.attributes["VisibilityTimeout"] == "45")
    }

    @Test func createQueueWithDifferentAttributeFails() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("orders", ["VisibilityTimeout": "45"])
        await #expect(throws: EngineError(.queueNameExists, "A queue already exists with the same name and a different value for attribute VisibilityTimeout")) {
            try await fixture.engine.createQueue(key, attributes: ["VisibilityTimeout": "46"], tags: [:])
        }
        // An attribute left at its default still counts: DelaySeconds is "0", so "5" differs.
        await #expect(throws: EngineError(.queueNameExists, "A queue already exists with the same name and a different value for attribute DelaySeconds")) {
            try await fixture.engine.createQueue(key, attributes: ["DelaySeconds": "5", "VisibilityTimeout": "45"], tags: [:])
        }
        // The first differing attribute in name order is the one reported.
        await #expect(throws: EngineError(.queueNameExists, "A queue already exists with the same name and a different value for attribute DelaySeconds")) {
            try await fixture.engine.createQueue(key, attributes: ["VisibilityTimeout": "1", "DelaySeconds": "5"], tags: [:])
        }
        #expect(try await fixture.store.load().queues.first?.attributes["VisibilityTimeout"] == "45")
    }

    @Test func sameNameInOtherAccountOrRegionIsAnotherQueue() async throws {
        let fixture = try await EngineFixture.make()
        let first = try await fixture.createQueue("orders", ["VisibilityTimeout": "45"])
        let otherAccount = EngineFixture.key("orders", account: "111122223333")
        let otherRegion = EngineFixture.key("orders", region: "eu-west-1")
        _ = try await fixture.engine.createQueue(otherAccount, attributes: ["VisibilityTimeout": "10"], tags: [:])
        _ = try await fixture.engine.createQueue(otherRegion, attributes: [:], tags: [:])
        try await fixture.send(first, "one")
        #expect(try await fixture.counts(first) == [1, 0, 0])
        #expect(try await fixture.counts(otherAccount) == [0, 0, 0])
        #expect(try await fixture.engine.getQueueAttributes(otherAccount, names: ["VisibilityTimeout", "QueueArn"]) == [
            "VisibilityTimeout": "10", "QueueArn": "arn:aws:sqs:us-east-1:111122223333:orders",
        ])
        #expect(try await fixture.engine.getQueueAttributes(otherRegion, names: ["QueueArn"]) == ["QueueArn": "arn:aws:sqs:eu-west-1:000000000000:orders"])
    }

    @Test(arguments: ["", "has space", "dots.not.allowed", "slash/", String(repeating: "a", count: 81), "émoji"])
    func createQueueRejectsInvalidNames(name: String) async throws {
        let fixture = try await EngineFixture.make()
        await #expect(
            throws: EngineError(.invalidParameterValue, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        ) {
            try await fixture.engine.createQueue(EngineFixture.key(name), attributes: [:], tags: [:])
        }
        #expect(try await fixture.store.load().queues.isEmpty)
    }

    @Test func createQueueAcceptsLongestValidName() async throws {
        let fixture = try await EngineFixture.make()
        let name = "A-z_0" + String(repeating: "9", count: 75)
        #expect(name.count == 80)
        let key = try await fixture.createQueue(name)
        #expect(await fixture.engine.queueExists(key))
    }

    @Test func createQueueRejectsInvalidAttributes() async throws {
        let fixture = try await EngineFixture.make()
        let key = EngineFixture.key("q")
        await #expect(throws: EngineError(.invalidAttributeName, "Unknown Attribute VisibilityTimeoutSeconds.")) {
            try await fixture.engine.createQueue(key, attributes: ["VisibilityTimeoutSeconds": "30"], tags: [:])
        }
        await #expect(throws: EngineError(.invalidAttributeName, "Unknown Attribute QueueArn.")) {
            try await fixture.engine.createQueue(key, attributes: ["QueueArn": "arn:aws:sqs:us-east-1:000000000000:q"], tags: [:])
        }
        await #expect(throws: EngineError(.invalidAttributeValue, "Invalid value for the parameter DelaySeconds.")) {
            try await fixture.engine.createQueue(key, attributes: ["DelaySeconds": "901"], tags: [:])
        }
        await #expect(throws: EngineError(.invalidAttributeName, "You can specify the DeduplicationScope only when FifoQueue is set to true.")) {
            try await fixture.engine.createQueue(key, attributes: ["DeduplicationScope": "queue"], tags: [:])
        }
        #expect(await !fixture.engine.queueExists(key))
    }

    @Test func fifoQueueNameMustEndInFifo() async throws {
        let fixture = try await EngineFixture.make()
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length")
        ) {
            try await fixture.engine.createQueue(EngineFixture.key("jobs"), attributes: ["FifoQueue": "true"], tags: [:])
        }
    }

    @Test func missingQueueIsReportedEverywhere() async throws {
        let fixture = try await EngineFixture.make()
        let key = EngineFixture.key("missing")
        #expect(await !fixture.engine.queueExists(key))
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.getQueue(key) }
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.getQueueAttributes(key, names: ["All"]) }
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.setQueueAttributes(key, attributes: ["DelaySeconds": "1"]) }
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.deleteQueue(key) }
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.purgeQueue(key) }
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.listQueueTags(key) }
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.tagQueue(key, tags: ["a": "b"]) }
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.untagQueue(key, keys: ["a"]) }
        await #expect(throws: EngineError.queueDoesNotExist) {
            try await fixture.engine.sendMessage(key, SendMessageInput(body: "x"), senderID: EngineFixture.sender)
        }
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.receiveMessage(key, ReceiveMessageInput()) }
        #expect(EngineError.queueDoesNotExist == EngineError(.queueDoesNotExist, "The specified queue does not exist."))
    }

    // MARK: - ListQueues

    @Test func listQueuesFiltersByAccountRegionAndPrefix() async throws {
        let fixture = try await EngineFixture.make()
        for name in ["beta", "alpha-2", "alpha-1", "gamma", "alpha"] {
            try await fixture.createQueue(name)
        }
        _ = try await fixture.engine.createQueue(EngineFixture.key("alpha-other-account", account: "111122223333"), attributes: [:], tags: [:])
        _ = try await fixture.engine.createQueue(EngineFixture.key("alpha-other-region", region: "eu-west-1"), attributes: [:], tags: [:])

        let all = try await fixture.engine.listQueues(account: EngineFixture.account, region: EngineFixture.region, prefix: nil, maxResults: nil, nextToken: nil)
        #expect(all.queues.map(\.name) == ["alpha", "alpha-1", "alpha-2", "beta", "gamma"])
        #expect(all.nextToken == nil)

        let alphas = try await fixture.engine.listQueues(
            account: EngineFixture.account, region: EngineFixture.region, prefix: "alpha", maxResults: nil, nextToken: nil)
        #expect(alphas.queues.map(\.name) == ["alpha", "alpha-1", "alpha-2"])

        let none = try await fixture.engine.listQueues(
            account: EngineFixture.account, region: EngineFixture.region, prefix: "Alpha", maxResults: nil, nextToken: nil)
        #expect(none.queues.isEmpty)
        #expect(none.nextToken == nil)

        let otherRegion = try await fixture.engine.listQueues(account: EngineFixture.account, region: "eu-west-1", prefix: nil, maxResults: nil, nextToken: nil)
        #expect(otherRegion.queues == [EngineFixture.key("alpha-other-region", region: "eu-west-1")])
    }

    @Test func listQueuesPagesWithMaxResultsAndNextToken() async throws {
        let fixture = try await EngineFixture.make()
        for name in ["q5", "q3", "q1", "q4", "q2", "other"] {
            try await fixture.createQueue(name)
        }
        func page(_ token: String?, max: Int = 2) async throws -> QueueListPage {
            try await fixture.engine.listQueues(
                account: EngineFixture.account, region: EngineFixture.region, prefix: "q", maxResults: max, nextToken: token)
        }
        let first = try await page(nil)
        #expect(first.queues.map(\.name) == ["q1", "q2"])
        let firstToken = try #require(first.nextToken)
        let second = try await page(firstToken)
        #expect(second.queues.map(\.name) == ["q3", "q4"])
        let secondToken = try #require(second.nextToken)
        let third = try await page(secondToken)
        #expect(third.queues.map(\.name) == ["q5"])
        #expect(third.nextToken == nil)

        // Exactly MaxResults left: no token.
        let exact = try await page(nil, max: 5)
        #expect(exact.queues.count == 5)
        #expect(exact.nextToken == nil)

        // A queue created between pages that sorts after the token shows up on the next page.
        try await fixture.createQueue("q2a")
        let resumed = try await page(firstToken, max: 10)
        #expect(resumed.queues.map(\.name) == ["q2a", "q3", "q4", "q5"])

        // An empty token is the first page.
        #expect(try await page("").queues.map(\.name) == ["q1", "q2"])
    }

    @Test func listQueuesValidatesMaxResultsAndToken() async throws {
        let fixture = try await EngineFixture.make()
        try await fixture.createQueue("q1")
        for bad in [0, 1001, -1] {
            await #expect(
                throws: EngineError(
                    .invalidParameterValue, "Value \(bad) for parameter MaxResults is invalid. Reason: MaxResults must be an integer between 1 and 1000.")
            ) {
                try await fixture.engine.listQueues(account: EngineFixture.account, region: EngineFixture.region, prefix: nil, maxResults: bad, nextToken: nil)
            }
        }
        let thousand = try await fixture.engine.listQueues(
            account: EngineFixture.account, region: EngineFixture.region, prefix: nil, maxResults: 1000, nextToken: nil)
        #expect(thousand.queues.map(\.name) == ["q1"])
        await #expect(throws: EngineError(.invalidParameterValue, "Invalid NextToken value.")) {
            try await fixture.engine.listQueues(account: EngineFixture.account, region: EngineFixture.region, prefix: nil, maxResults: 1, nextToken: "%%%not-base64")
        }
    }

    // MARK: - DeleteQueue

    @Test func deleteQueueRemovesQueueAndMessages() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("doomed")
        let keep = try await fixture.createQueue("kept")
        try await fixture.send(key, "a")
        try await fixture.send(key, "b")
        try await fixture.send(keep, "c")
        try await fixture.engine.deleteQueue(key)
        #expect(await !fixture.engine.queueExists(key))
        await #expect(throws: EngineError.queueDoesNotExist) { try await fixture.engine.deleteQueue(key) }
        let snapshot = try await fixture.store.load()
        #expect(snapshot.queues.map(\.key) == [keep])
        #expect(snapshot.messages.map(\.body) == ["c"])
        let listed = try await fixture.engine.listQueues(account: EngineFixture.account, region: EngineFixture.region, prefix: nil, maxResults: nil, nextToken: nil)
        #expect(listed.queues == [keep])
    }

    @Test func recreatingWithin60SecondsIsQueueDeletedRecently() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("phoenix")
        try await fixture.engine.deleteQueue(key)
        fixture.clock.advance(seconds: 59.9)
        await #expect(
            throws: EngineError(
                .queueDeletedRecently,
                "You must wait 60 seconds after deleting a queue before you can create another with the same name.")
        ) { _ = try await fixture.engine.createQueue(key, attributes: [:], tags: [:]) }
        fixture.clock.advance(seconds: 0.1)
        _ = try await fixture.engine.createQueue(key, attributes: [:], tags: [:])
    }

    @Test func aZeroCooldownAllowsRecreatingAtOnce() async throws {
        let fixture = try await EngineFixture.make(configuration: EngineConfiguration(deletedQueueCooldown: 0))
        let key = try await fixture.createQueue("phoenix")
        try await fixture.engine.deleteQueue(key)
        _ = try await fixture.engine.createQueue(key, attributes: [:], tags: [:])
        #expect(await fixture.engine.queueExists(key))
    }

    @Test func recreatedQueueIsEmptyAndRejectsOldHandles() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("phoenix", ["VisibilityTimeout": "45"])
        try await fixture.send(key, "old")
        let handle = try #require(try await fixture.receive(key).first?.receiptHandle)
        try await fixture.engine.deleteQueue(key)
        fixture.clock.advance(seconds: 60)
        _ = try await fixture.engine.createQueue(key, attributes: [:], tags: [:])
        #expect(try await fixture.counts(key) == [0, 0, 0])
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["VisibilityTimeout"]) == ["VisibilityTimeout": "30"])
        // The new queue has a new id, so the old handle does not name it.
        #expect(try await fixture.store.load().queues.map(\.id) == [2])
        await #expect(
            throws: EngineError(.receiptHandleIsInvalid, "The input receipt handle \"\(handle)\" is not a valid receipt handle.")
        ) {
            try await fixture.engine.deleteMessage(key, receiptHandle: handle)
        }
    }

    // MARK: - GetQueueAttributes

    @Test func getAllAttributesOfDefaultQueue() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("plain")
        let attributes = try await fixture.engine.getQueueAttributes(key, names: ["All"])
        #expect(
            attributes == [
                "ApproximateNumberOfMessages": "0",
                "ApproximateNumberOfMessagesDelayed": "0",
                "ApproximateNumberOfMessagesNotVisible": "0",
                "CreatedTimestamp": "1704067200",
                "DelaySeconds": "0",
                "LastModifiedTimestamp": "1704067200",
                "MaximumMessageSize": "1048576",
                "MessageRetentionPeriod": "345600",
                "QueueArn": "arn:aws:sqs:us-east-1:000000000000:plain",
                "ReceiveMessageWaitTimeSeconds": "0",
                "SqsManagedSseEnabled": "true",
                "VisibilityTimeout": "30",
            ])
    }

    @Test func getNamedAttributesReturnsOnlyThose() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("named", ["DelaySeconds": "7"])
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["DelaySeconds", "QueueArn"]) == [
            "DelaySeconds": "7", "QueueArn": "arn:aws:sqs:us-east-1:000000000000:named",
        ])
        // A readable attribute the queue does not have is simply absent.
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["Policy", "RedrivePolicy"]) == [:])
        #expect(try await fixture.engine.getQueueAttributes(key, names: []) == [:])
        // "All" alongside names is still everything.
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["All", "DelaySeconds"]).count == 12)
    }

    @Test func getAttributesRejectsUnknownName() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        await #expect(throws: EngineError(.invalidAttributeName, "Unknown Attribute Bogus.")) {
            try await fixture.engine.getQueueAttributes(key, names: ["VisibilityTimeout", "Bogus"])
        }
        await #expect(throws: EngineError(.invalidAttributeName, "Unknown Attribute all.")) {
            try await fixture.engine.getQueueAttributes(key, names: ["all"])
        }
    }

    @Test func computedCountsFollowMessageStates() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("counts", ["VisibilityTimeout": "30"])
        try await fixture.send(key, "visible-1")
        try await fixture.send(key, "visible-2")
        try await fixture.send(key, "to-receive")
        try await fixture.send(key, "delayed", delaySeconds: 60)
        #expect(try await fixture.counts(key) == [3, 0, 1])
        let received = try await fixture.receive(key, max: 1)
        #expect(received.map(\.record.body) == ["visible-1"])
        #expect(try await fixture.counts(key) == [2, 1, 1])
        fixture.clock.advance(seconds: 30)
        #expect(try await fixture.counts(key) == [3, 0, 1])
        fixture.clock.advance(seconds: 30)
        #expect(try await fixture.counts(key) == [4, 0, 0])
        try await fixture.engine.deleteMessage(key, receiptHandle: received[0].receiptHandle)
        #expect(try await fixture.counts(key) == [3, 0, 0])
    }

    // MARK: - SetQueueAttributes

    @Test func setAttributesChangesValuesAndLastModified() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("settable")
        fixture.clock.advance(seconds: 100)
        try await fixture.engine.setQueueAttributes(
            key,
            attributes: [
                "VisibilityTimeout": "43200", "DelaySeconds": "900", "MaximumMessageSize": "1024", "MessageRetentionPeriod": "60",
                "ReceiveMessageWaitTimeSeconds": "20",
            ])
        let attributes = try await fixture.engine.getQueueAttributes(key, names: ["All"])
        #expect(attributes["VisibilityTimeout"] == "43200")
        #expect(attributes["DelaySeconds"] == "900")
        #expect(attributes["MaximumMessageSize"] == "1024")
        #expect(attributes["MessageRetentionPeriod"] == "60")
        #expect(attributes["ReceiveMessageWaitTimeSeconds"] == "20")
        #expect(attributes["CreatedTimestamp"] == "1704067200")
        #expect(attributes["LastModifiedTimestamp"] == "1704067300")
        let stored = try #require(try await fixture.store.load().queues.first)
        #expect(stored.attributes["VisibilityTimeout"] == "43200")
        #expect(stored.modifiedAt == Timestamp(seconds: 1_704_067_300))

        try await fixture.engine.setQueueAttributes(
            key,
            attributes: [
                "VisibilityTimeout": "0", "DelaySeconds": "0", "MaximumMessageSize": "1048576", "MessageRetentionPeriod": "1209600",
                "ReceiveMessageWaitTimeSeconds": "0",
            ])
        let lower = try await fixture.engine.getQueueAttributes(
            key, names: ["VisibilityTimeout", "DelaySeconds", "MaximumMessageSize", "MessageRetentionPeriod", "ReceiveMessageWaitTimeSeconds"])
        #expect(lower == [
            "VisibilityTimeout": "0", "DelaySeconds": "0", "MaximumMessageSize": "1048576", "MessageRetentionPeriod": "1209600",
            "ReceiveMessageWaitTimeSeconds": "0",
        ])
    }

    @Test(arguments: [
        ("VisibilityTimeout", "-1"), ("VisibilityTimeout", "43201"), ("VisibilityTimeout", "ten"), ("VisibilityTimeout", ""),
        ("DelaySeconds", "901"), ("DelaySeconds", "-1"), ("MaximumMessageSize", "1023"), ("MaximumMessageSize", "1048577"),
        ("MessageRetentionPeriod", "59"), ("MessageRetentionPeriod", "1209601"), ("ReceiveMessageWaitTimeSeconds", "21"),
        ("KmsDataKeyReusePeriodSeconds", "59"), ("SqsManagedSseEnabled", "yes"), ("VisibilityTimeout", "1.5"),
    ])
    func setAttributesRejectsOutOfRangeValues(name: String, value: String) async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("ranges")
        let before = try await fixture.engine.getQueueAttributes(key, names: ["All"])
        await #expect(throws: EngineError(.invalidAttributeValue, "Invalid value for the parameter \(name).")) {
            try await fixture.engine.setQueueAttributes(key, attributes: [name: value])
        }
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["All"]) == before)
    }

    @Test func setAttributesIsAllOrNothing() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("atomic")
        let submissions = fixture.store.submissionCount
        await #expect(throws: EngineError(.invalidAttributeValue, "Invalid value for the parameter DelaySeconds.")) {
            try await fixture.engine.setQueueAttributes(key, attributes: ["VisibilityTimeout": "60", "DelaySeconds": "1000"])
        }
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["VisibilityTimeout", "DelaySeconds"]) == [
            "VisibilityTimeout": "30", "DelaySeconds": "0",
        ])
        #expect(fixture.store.submissionCount == submissions)
        #expect(try await fixture.store.load().queues.first?.attributes["VisibilityTimeout"] == "30")
    }

    @Test func setAttributesRejectsUnknownAndReadOnlyNames() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("names")
        for name in ["Bogus", "ApproximateNumberOfMessages", "QueueArn", "CreatedTimestamp", "FifoQueue", "ContentBasedDeduplication"] {
            await #expect(throws: EngineError(.invalidAttributeName, "Unknown Attribute \(name).")) {
                try await fixture.engine.setQueueAttributes(key, attributes: [name: "1"])
            }
        }
        await #expect(throws: EngineError(.invalidAttributeName, "You can specify the FifoThroughputLimit only when FifoQueue is set to true.")) {
            try await fixture.engine.setQueueAttributes(key, attributes: ["FifoThroughputLimit": "perQueue"])
        }
    }

    @Test func setAttributesValidatesRedrivePolicy() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("source")
        try await fixture.createQueue("dlq")
        let valid = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":5}"#
        try await fixture.engine.setQueueAttributes(key, attributes: ["RedrivePolicy": valid])
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["RedrivePolicy"]) == ["RedrivePolicy": valid])
        await #expect(throws: EngineError(.invalidAttributeValue, "Invalid value for the parameter RedrivePolicy. Reason: Invalid JSON.")) {
            try await fixture.engine.setQueueAttributes(key, attributes: ["RedrivePolicy": "{not json"])
        }
        let tooMany = #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:dlq","maxReceiveCount":1001}"#
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "Value \(tooMany) for parameter RedrivePolicy is invalid. Reason: Invalid value for maxReceiveCount: 1001, valid values are from 1 to 1000 both inclusive."
            )
        ) {
            try await fixture.engine.setQueueAttributes(key, attributes: ["RedrivePolicy": tooMany])
        }
        // An empty value removes the policy.
        try await fixture.engine.setQueueAttributes(key, attributes: ["RedrivePolicy": ""])
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["RedrivePolicy"]) == [:])
    }

    @Test func kmsAndSqsManagedEncryptionExcludeEachOther() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("sse")
        try await fixture.engine.setQueueAttributes(key, attributes: ["KmsMasterKeyId": "alias/aws/sqs"])
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["KmsMasterKeyId", "SqsManagedSseEnabled", "KmsDataKeyReusePeriodSeconds"]) == [
            "KmsMasterKeyId": "alias/aws/sqs", "SqsManagedSseEnabled": "false", "KmsDataKeyReusePeriodSeconds": "300",
        ])
        await #expect(
            throws: EngineError(
                .invalidAttributeName,
                "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.")
        ) {
            try await fixture.engine.setQueueAttributes(key, attributes: ["KmsMasterKeyId": "alias/other", "SqsManagedSseEnabled": "true"])
        }
        try await fixture.engine.setQueueAttributes(key, attributes: ["SqsManagedSseEnabled": "TRUE"])
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["KmsMasterKeyId", "SqsManagedSseEnabled", "KmsDataKeyReusePeriodSeconds"]) == [
            "SqsManagedSseEnabled": "true"
        ])
    }

    @Test func queueVisibilityAttributeAppliesToLaterReceives() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("vt")
        try await fixture.engine.setQueueAttributes(key, attributes: ["VisibilityTimeout": "5"])
        try await fixture.send(key, "m")
        #expect(try await fixture.receive(key).count == 1)
        fixture.clock.advance(seconds: 4.999)
        #expect(try await fixture.receive(key).isEmpty)
        fixture.clock.advance(milliseconds: 1)
        #expect(try await fixture.receive(key).map(\.record.receiveCount) == [2])
    }

    // MARK: - Tags

    @Test func tagsCanBeAddedOverwrittenAndRemoved() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("tagged", tags: ["team": "core", "env": "dev"])
        #expect(try await fixture.engine.listQueueTags(key) == ["team": "core", "env": "dev"])
        try await fixture.engine.tagQueue(key, tags: ["env": "prod", "cost": "42"])
        #expect(try await fixture.engine.listQueueTags(key) == ["team": "core", "env": "prod", "cost": "42"])
        try await fixture.engine.untagQueue(key, keys: ["team", "not-there"])
        #expect(try await fixture.engine.listQueueTags(key) == ["env": "prod", "cost": "42"])
        #expect(try await fixture.store.load().queues.first?.tags == ["env": "prod", "cost": "42"])
        await #expect(throws: EngineError(.missingParameter, "The request must contain the parameter Tags.")) {
            try await fixture.engine.tagQueue(key, tags: [:])
        }
        await #expect(throws: EngineError(.missingParameter, "The request must contain the parameter TagKeys.")) {
            try await fixture.engine.untagQueue(key, keys: [])
        }
    }

    @Test func tagLimits() async throws {
        let fixture = try await EngineFixture.make()
        var fifty: [String: String] = [:]
        for index in 0..<50 { fifty["k\(index)"] = "v" }
        let key = try await fixture.createQueue("limits", tags: fifty)
        await #expect(throws: EngineError(.invalidParameterValue, "Too many tags added for queue limits.")) {
            try await fixture.engine.tagQueue(key, tags: ["k50": "v"])
        }
        // Overwriting an existing key keeps the count at 50.
        try await fixture.engine.tagQueue(key, tags: ["k0": "changed"])
        #expect(try await fixture.engine.listQueueTags(key).count == 50)
        #expect(try await fixture.engine.listQueueTags(key)["k0"] == "changed")

        try await fixture.createQueue("fiftyone")
        let longKey = String(repeating: "k", count: 129)
        await #expect(
            throws: EngineError(
                .invalidParameterValue, "Value \(longKey) for parameter TagKey is invalid. Reason: Tag keys must be between 1 and 128 characters in length.")
        ) {
            try await fixture.engine.tagQueue(EngineFixture.key("fiftyone"), tags: [longKey: "v"])
        }
        let longValue = String(repeating: "v", count: 257)
        await #expect(
            throws: EngineError(
                .invalidParameterValue,
                "Value \(longValue) for parameter TagValue is invalid. Reason: Tag values must be less than 256 characters in length.")
        ) {
            try await fixture.engine.tagQueue(key, tags: ["k0": longValue])
        }
        await #expect(throws: EngineError(.invalidParameterValue, "Too many tags added for queue fiftyone-tags.")) {
            var fiftyOne = fifty
            fiftyOne["k50"] = "v"
            _ = try await fixture.engine.createQueue(EngineFixture.key("fiftyone-tags"), attributes: [:], tags: fiftyOne)
        }
    }
}
