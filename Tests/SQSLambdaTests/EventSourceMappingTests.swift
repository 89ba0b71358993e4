import FoundationEssentials
import SQSEngine
import SQSLambda
import Synchronization
import Testing

@Suite("Event-source mappings", .timeLimit(.minutes(1)))
struct EventSourceMappingTests {
    @Test func aSentMessageReachesTheHandlerWithEveryFieldAndIsDeleted() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("ChatAPP")
        let seen = SeenEvents()
        fixture.functions.register(InProcessFunction(name: "MessageProcessor") { (event: SQSEvent, _) -> SQSBatchResponse? in
            seen.append(event)
            return nil
        })
        _ = try await fixture.manager.create(eventSourceArn: fixture.arn("ChatAPP"), functionName: "MessageProcessor", settings: .init())
        _ = try await fixture.engine.sendMessage(
            fixture.key("ChatAPP"), SendMessageInput(body: "hello", attributes: ["k": .string("v"), "b": .binary([1, 2])]), senderID: "AKID")
        let records = try await fixture.invocations(1)
        #expect(records[0].status == .success)
        #expect(records[0].batchSize == 1)
        let record = try #require(seen.all.first?.records.first)
        #expect(record.body == "hello")
        #expect(record.eventSource == "aws:sqs")
        #expect(record.eventSourceARN == "arn:aws:sqs:us-east-1:000000000000:ChatAPP")
        #expect(record.awsRegion == "us-east-1")
        #expect(record.md5OfBody == MessageDigest.md5Hex(of: "hello"))
        #expect(record.md5OfMessageAttributes != nil)
        #expect(record.attributes["ApproximateReceiveCount"] == "1")
        #expect(record.attributes["SenderId"] == "AKID")
        #expect(record.attributes["SentTimestamp"] == String(fixture.clock.now().milliseconds))
        #expect(record.messageAttributes["k"] == .init(stringValue: "v", binaryValue: nil, dataType: "String"))
        #expect(record.messageAttributes["b"]?.binaryValue == "AQI=")
        try await fixture.eventually("deletion") { try await fixture.counts("ChatAPP") == ["0", "0", "0"] }
        await fixture.stop()
    }

    @Test func reportedItemFailuresStayAndComeBackAfterTheVisibilityTimeout() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q", ["VisibilityTimeout": "30"])
        let seen = SeenEvents()
        fixture.functions.register(InProcessFunction(name: "f") { (event: SQSEvent, _) -> SQSBatchResponse? in
            seen.append(event)
            return SQSBatchResponse(batchItemFailures: event.records.filter { $0.body == "bad" }.map { .init(itemIdentifier: $0.messageId) })
        })
        // Messages first, then the mapping, so both arrive in one batch.
        try await fixture.send("q", "good")
        try await fixture.send("q", "bad")
        _ = try await fixture.manager.create(
            eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init(functionResponseTypes: ["ReportBatchItemFailures"], maximumConcurrency: 2))
        let first = try await fixture.invocations(1)
        #expect(first[0].status == .partialFailure)
        try await fixture.eventually("only the failed message left in flight") { try await fixture.counts("q") == ["0", "1", "0"] }
        fixture.clock.advance(seconds: 30)
        _ = try await fixture.invocations(2)
        let retried = try #require(seen.all.last?.records.first)
        #expect(retried.body == "bad")
        #expect(retried.attributes["ApproximateReceiveCount"] == "2")
        await fixture.stop()
    }

    @Test func aFunctionErrorKeepsTheBatchAndRedriveMovesItToTheDLQ() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("dlq")
        try await fixture.createQueue("q", ["VisibilityTimeout": "10", "RedrivePolicy": #"{"deadLetterTargetArn":"\#(fixture.arn("dlq"))","maxReceiveCount":2}"#])
        struct Failure: Error {}
        fixture.functions.register(InProcessFunction(name: "f") { _, _ in throw Failure() })
        _ = try await fixture.manager.create(eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init())
        try await fixture.send("q", "poison")
        let first = try await fixture.invocations(1)
        #expect(first[0].status == .error)
        #expect(first[0].error?.hasPrefix("Failure") == true)
        #expect(try await fixture.counts("q") == ["0", "1", "0"])
        fixture.clock.advance(seconds: 10)
        _ = try await fixture.invocations(2)
        fixture.clock.advance(seconds: 10)
        // The third receive exceeds maxReceiveCount: the message goes to the DLQ, not to the function.
        try await fixture.eventually("the message in the DLQ") { try await fixture.counts("dlq") == ["1", "0", "0"] }
        #expect(fixture.log.recent().count == 2)
        #expect(try await fixture.counts("q") == ["0", "0", "0"])
        await fixture.stop()
    }

    @Test(arguments: [
        #"{"batchItemFailures":[{"itemIdentifier":""}]}"#, #"{"batchItemFailures":[{"itemIdentifier":"not-in-batch"}]}"#,
        #"{"batchItemFailures":[{"wrongKey":"x"}]}"#, "not json",
    ])
    func anInvalidPartialResponseFailsTheWholeBatch(response: String) async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q")
        fixture.functions.register(InProcessFunction(name: "f") { _, _ in Array(response.utf8) })
        _ = try await fixture.manager.create(
            eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init(functionResponseTypes: ["ReportBatchItemFailures"]))
        try await fixture.send("q", "a")
        let records = try await fixture.invocations(1)
        #expect(records[0].status == .error)
        try await fixture.eventually("the mapping's result") {
            try await fixture.manager.mapping(uuid: fixture.manager.list()[0].uuid).lastProcessingResult.hasPrefix("PROBLEM")
        }
        #expect(try await fixture.counts("q") == ["0", "1", "0"])
        await fixture.stop()
    }

    @Test(arguments: ["", "null", "{}", #"{"batchItemFailures":[]}"#, #"{"batchItemFailures":null}"#])
    func emptyPartialResponsesMeanSuccess(response: String) async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q")
        fixture.functions.register(InProcessFunction(name: "f") { _, _ in Array(response.utf8) })
        _ = try await fixture.manager.create(
            eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init(functionResponseTypes: ["ReportBatchItemFailures"]))
        try await fixture.send("q", "a")
        #expect(try await fixture.invocations(1)[0].status == .success)
        try await fixture.eventually("deletion") { try await fixture.counts("q") == ["0", "0", "0"] }
        await fixture.stop()
    }

    @Test func disablingStopsPollingWithoutLosingMessagesAndEnablingResumes() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q")
        let seen = SeenEvents()
        fixture.functions.register(InProcessFunction(name: "f") { (event: SQSEvent, _) -> SQSBatchResponse? in
            seen.append(event)
            return nil
        })
        let mapping = try await fixture.manager.create(eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init(enabled: false))
        #expect(mapping.state == "Disabled")
        try await fixture.send("q", "waiting")
        try await Task.sleep(for: .milliseconds(100))
        #expect(seen.all.isEmpty)
        #expect(try await fixture.counts("q") == ["1", "0", "0"])
        _ = try await fixture.manager.update(uuid: mapping.uuid, settings: .init(enabled: true))
        _ = try await fixture.invocations(1)
        #expect(seen.bodies == ["waiting"])
        await fixture.stop()
    }

    @Test func maximumConcurrencyBoundsConcurrentInvocations() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q")
        let running = Mutex((now: 0, most: 0))
        fixture.functions.register(InProcessFunction(name: "f") { _, _ in
            running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
            try await Task.sleep(for: .milliseconds(30))
            running.withLock { $0.now -= 1 }
            return []
        })
        for index in 0..<12 { try await fixture.send("q", "m\(index)") }
        _ = try await fixture.manager.create(
            eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init(batchSize: 1, maximumConcurrency: 2))
        _ = try await fixture.invocations(12)
        #expect(running.withLock { $0.most } == 2)
        await fixture.stop()
    }

    @Test func fifoBatchesStayInOrderAndAFailureKeepsTheRestOfItsGroup() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q.fifo", ["FifoQueue": "true", "VisibilityTimeout": "5"])
        let seen = SeenEvents()
        fixture.functions.register(InProcessFunction(name: "f") { (event: SQSEvent, _) -> SQSBatchResponse? in
            seen.append(event)
            let failed = event.records.first { $0.body == "a2" }
            return SQSBatchResponse(batchItemFailures: failed.map { [.init(itemIdentifier: $0.messageId)] } ?? [])
        })
        for body in ["a1", "a2", "a3"] { try await fixture.send("q.fifo", body, group: "a") }
        _ = try await fixture.manager.create(
            eventSourceArn: fixture.arn("q.fifo"), functionName: "f", settings: .init(functionResponseTypes: ["ReportBatchItemFailures"]))
        _ = try await fixture.invocations(1)
        #expect(seen.bodies == ["a1", "a2", "a3"])
        // a1 deleted; a2 failed and a3 after it in the same group stay.
        try await fixture.eventually("a2 and a3 kept") { try await fixture.counts("q.fifo") == ["0", "2", "0"] }
        fixture.clock.advance(seconds: 5)
        _ = try await fixture.invocations(2)
        #expect(Array(seen.bodies.suffix(2)) == ["a2", "a3"])
        await fixture.stop()
    }

    @Test func validationErrorsAreLambdasErrors() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q")
        try await fixture.createQueue("q.fifo", ["FifoQueue": "true"])
        fixture.functions.register(InProcessFunction(name: "f") { _, _ in [] })
        let manager = fixture.manager
        await #expect(throws: LambdaAPIError.self) { try await manager.create(eventSourceArn: fixture.arn("q"), functionName: "nope", settings: .init()) }
        do {
            _ = try await manager.create(eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init(batchSize: 100))
            Issue.record("expected an error")
        } catch {
            #expect(error.type == "InvalidParameterValueException")
            #expect(error.message == "Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
        }
        do {
            _ = try await manager.create(eventSourceArn: fixture.arn("missing"), functionName: "f", settings: .init())
            Issue.record("expected an error")
        } catch {
            #expect(error.type == "InvalidParameterValueException")
        }
        do {
            _ = try await manager.create(eventSourceArn: fixture.arn("q.fifo"), functionName: "f", settings: .init(batchSize: 11, maximumBatchingWindowInSeconds: 1))
            Issue.record("expected an error")
        } catch {
            #expect(error.status == 400)
        }
        let mapping = try await manager.create(eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init())
        do {
            _ = try await manager.create(eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init())
            Issue.record("expected a conflict")
        } catch {
            #expect(error.type == "ResourceConflictException")
            #expect(error.message.contains(mapping.uuid))
        }
        await #expect(throws: LambdaAPIError.notFound("The resource you requested does not exist.")) {
            try await manager.delete(uuid: "no-such-uuid")
        }
        await fixture.stop()
    }

    @Test func mappingsPersistThroughTheirStore() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q")
        fixture.functions.register(InProcessFunction(name: "f") { _, _ in [] })
        let created = try await fixture.manager.create(
            eventSourceArn: fixture.arn("q"), functionName: "arn:aws:lambda:us-east-1:000000000000:function:f",
            settings: .init(batchSize: 50, maximumBatchingWindowInSeconds: 2, maximumConcurrency: 3, enabled: false))
        #expect(created.functionName == "f")
        let saved = try fixture.store.load()
        #expect(saved == [created])
        await fixture.stop()
    }

    @Test func aBatchingWindowGathersUpToTheBatchSize() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q")
        let seen = SeenEvents()
        fixture.functions.register(InProcessFunction(name: "f") { (event: SQSEvent, _) -> SQSBatchResponse? in
            seen.append(event)
            return nil
        })
        for index in 0..<25 { try await fixture.send("q", "m\(index)") }
        _ = try await fixture.manager.create(
            eventSourceArn: fixture.arn("q"), functionName: "f",
            settings: .init(batchSize: 25, maximumBatchingWindowInSeconds: 5, maximumConcurrency: 2))
        // Two pollers share the 25 messages; each gathers until the window ends.
        try await fixture.eventually("all 25 received") { try await fixture.counts("q") == ["0", "25", "0"] }
        #expect(fixture.log.recent().isEmpty)
        // Both pollers are parked in a receive that waits for the window's end.
        try await fixture.eventually("both pollers waiting") { await fixture.engine.waitingReceiveCount == 2 }
        fixture.clock.advance(seconds: 5)
        try await fixture.eventually("all 25 delivered and recorded") {
            seen.bodies.count == 25 && fixture.log.recent().map(\.batchSize).reduce(0, +) == 25
        }
        let sizes = fixture.log.recent().map(\.batchSize)
        #expect(sizes.reduce(0, +) == 25)
        #expect(sizes.max()! >= 15)
        #expect(Set(seen.bodies).count == 25)
        await fixture.stop()
    }

    @Test func messagesNoFilterMatchesAreDeletedWithoutAnInvocation() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("orders")
        let seen = SeenEvents()
        fixture.functions.register(InProcessFunction(name: "f") { (event: SQSEvent, _) -> SQSBatchResponse? in
            seen.append(event)
            return nil
        })
        try await fixture.send("orders", #"{"type": "order", "total": 150}"#)
        try await fixture.send("orders", #"{"type": "order", "total": 50}"#)
        try await fixture.send("orders", #"{"type": "refund", "total": 500}"#)
        try await fixture.send("orders", "plain text")
        let pattern = #"{"body": {"type": ["order"], "total": [{"numeric": [">", 100]}]}}"#
        let mapping = try await fixture.manager.create(
            eventSourceArn: fixture.arn("orders"), functionName: "f", settings: .init(filterPatterns: [pattern]))
        #expect(mapping.filterPatterns == [pattern])
        _ = try await fixture.invocations(1)
        try await fixture.eventually("every message deleted") { try await fixture.counts("orders") == ["0", "0", "0"] }
        #expect(seen.bodies == [#"{"type": "order", "total": 150}"#])
        await fixture.stop()
    }

    @Test func mappingStatesFollowTheirPollers() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q")
        fixture.functions.register(InProcessFunction(name: "f") { (_: SQSEvent, _) -> SQSBatchResponse? in nil })
        let mapping = try await fixture.manager.create(eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init())
        try await fixture.eventually("enabled") { await fixture.manager.reportedState(mapping) == "Enabled" }
        let disabled = try await fixture.manager.update(uuid: mapping.uuid, settings: .init(enabled: false))
        try await fixture.eventually("disabled") { await fixture.manager.reportedState(disabled) == "Disabled" }
        _ = try await fixture.manager.update(uuid: mapping.uuid, settings: .init(enabled: true))
        try await fixture.eventually("enabled again") { await fixture.manager.reportedState(mapping) == "Enabled" }
        _ = try await fixture.manager.delete(uuid: mapping.uuid)
        try await fixture.eventually("gone") { await fixture.manager.list().isEmpty }
        await #expect(throws: LambdaAPIError.self) { try await fixture.manager.mapping(uuid: mapping.uuid) }
        await #expect(throws: LambdaAPIError.self) {
            try await fixture.manager.create(
                eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init(provisionedPollers: (minimum: 5, maximum: 3)))
        }
        await fixture.stop()
    }

    @Test func reservedConcurrencyZeroKeepsMessagesInTheQueue() async throws {
        let fixture = try await MappingFixture()
        try await fixture.createQueue("q", ["VisibilityTimeout": "30"])
        fixture.functions.register(InProcessFunction(name: "f") { (_: SQSEvent, _) -> SQSBatchResponse? in nil })
        fixture.invoker.concurrency.setLimit(0, for: "f")
        try await fixture.send("q", "m")
        _ = try await fixture.manager.create(eventSourceArn: fixture.arn("q"), functionName: "f", settings: .init())
        try await fixture.eventually("a throttled poll") {
            try await fixture.manager.mapping(uuid: fixture.manager.list()[0].uuid).lastProcessingResult == "PROBLEM: Function call throttled"
        }
        try await fixture.eventually("the message back in the queue") { try await fixture.counts("q") == ["1", "0", "0"] }
        #expect(fixture.log.recent().isEmpty)
        fixture.invoker.concurrency.setLimit(1, for: "f")
        _ = try await fixture.invocations(1)
        try await fixture.eventually("deleted") { try await fixture.counts("q") == ["0", "0", "0"] }
        await fixture.stop()
    }
}
