import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSServer
import Synchronization
import Testing

/// The queue page's consumer tools (receive, delete or change visibility by receipt handle,
/// search, bulk delete and move, delete queue) and the bounded per-minute history behind the charts.
@Suite("Admin consumer tools and history")
struct AdminConsumerToolsTests {
    let queuePath = "/admin/queues/us-east-1/000000000000/orders"
    let json = [("Accept", "application/json")]

    @Test func receiveThenDeleteAndChangeVisibilityByReceiptHandle() async throws {
        let harness = try await AdminTestHarness()
        for body in ["one", "two"] { _ = try await harness.engine.sendMessage(harness.key, SendMessageInput(body: body), senderID: "x") }
        let received = await harness.post("\(queuePath)/receive", [("maxNumberOfMessages", "2"), ("visibilityTimeout", "60")], headers: json)
        #expect(received.status == 200)
        let handles = received.body.split(separator: "\"receiptHandle\":\"").dropFirst().map { String($0.prefix { $0 != "\"" }) }
        #expect(handles.count == 2)
        let page = await harness.post("\(queuePath)/receive", [("maxNumberOfMessages", "1")])
        #expect(page.status == 200 && page.body.contains("No message was available"))

        let deleted = await harness.post("\(queuePath)/delete-received", [("receiptHandle", handles[0])], headers: json)
        #expect(deleted.body.contains(#""ok":true"#))
        let shown = await harness.post("\(queuePath)/visibility", [("receiptHandle", handles[1]), ("visibilityTimeout", "0")], headers: json)
        #expect(shown.body.contains(#""ok":true"#))
        let summary = try await harness.engine.queueSummary(harness.key)
        #expect(summary.visible == 1 && summary.inFlight == 0)
        let stale = await harness.post("\(queuePath)/visibility", [("receiptHandle", handles[0]), ("visibilityTimeout", "5")], headers: json)
        #expect(stale.status == 400 && stale.body.contains(#""ok":false"#))
        let tooMany = await harness.post("\(queuePath)/receive", [("maxNumberOfMessages", "11")], headers: json)
        #expect(tooMany.status == 400)
    }

    @Test func searchFindsBodiesAndAttributesAndEscapesThem() async throws {
        let harness = try await AdminTestHarness()
        var tagged = SendMessageInput(body: "plain")
        tagged.attributes["tenant"] = MessageAttributeValue(dataType: "String", stringValue: "Acme")
        _ = try await harness.engine.sendMessage(harness.key, tagged, senderID: "x")
        _ = try await harness.engine.sendMessage(harness.key, SendMessageInput(body: "<b>needle</b>"), senderID: "x")
        _ = try await harness.engine.sendMessage(harness.key, SendMessageInput(body: "hay"), senderID: "x")
        let byBody = await harness.get("\(queuePath)?search=NEEDLE")
        #expect(byBody.body.contains("&lt;b&gt;needle&lt;/b&gt;") && !byBody.body.contains("<b>needle"))
        #expect(byBody.body.contains("1 matching") && !byBody.body.contains(">hay<"))
        let byAttribute = await harness.get("\(queuePath)?search=acme")
        #expect(byAttribute.body.contains(">plain<") && !byAttribute.body.contains("needle"))
    }

    @Test func bulkDeleteAndMoveKeepBodiesAndAttributes() async throws {
        let harness = try await AdminTestHarness()
        let target = QueueKey(account: "000000000000", region: "us-east-1", name: "target.fifo")
        _ = try await harness.engine.createQueue(target, attributes: ["FifoQueue": "true"], tags: [:])
        var ids: [String] = []
        for index in 0..<4 {
            var input = SendMessageInput(body: "m\(index)")
            input.attributes["n"] = MessageAttributeValue(dataType: "Number", stringValue: String(index))
            ids.append(try await harness.engine.sendMessage(harness.key, input, senderID: "x").messageID)
        }
        let moved = await harness.post("\(queuePath)/bulk", [("op", "move"), ("target", "target.fifo"), ("id", ids[0]), ("id", ids[1])], headers: json)
        #expect(moved.body.contains("Moved 2 of 2"))
        let there = try await harness.engine.peekMessages(target, offset: 0, limit: 10)
        #expect(there.map(\.record.body) == ["m0", "m1"])
        #expect(there.first?.record.attributes["n"]?.stringValue == "0")
        let removed = await harness.post("\(queuePath)/bulk", [("op", "delete"), ("id", ids[2]), ("id", "no-such-id")], headers: json)
        #expect(removed.body.contains("Deleted 1 of 2"))
        #expect(try await harness.engine.peekMessages(harness.key, offset: 0, limit: 10).map(\.record.body) == ["m3"])
        let none = await harness.post("\(queuePath)/bulk", [("op", "delete")], headers: json)
        #expect(none.status == 400)
        let nowhere = await harness.post("\(queuePath)/bulk", [("op", "move"), ("target", "missing"), ("id", ids[3])], headers: json)
        #expect(nowhere.status == 404)
        #expect(try await harness.engine.peekMessages(harness.key, offset: 0, limit: 10).count == 1)
    }

    @Test func deletingAQueueNeedsItsNameTheTokenAndTheOrigin() async throws {
        let harness = try await AdminTestHarness()
        let wrong = await harness.post("\(queuePath)/delete", [("confirmName", "order")])
        #expect(wrong.headers.first(name: "location")?.contains("error=") == true)
        let foreign = await harness.post("\(queuePath)/delete", [("confirmName", "orders")], origin: "http://evil.example")
        #expect(foreign.status == 403)
        let noToken = await harness.post("\(queuePath)/delete", [("confirmName", "orders")], csrf: false)
        #expect(noToken.status == 403)
        #expect(await harness.engine.queueExists(harness.key))
        let deleted = await harness.post("\(queuePath)/delete", [("confirmName", "orders")])
        #expect(deleted.headers.first(name: "location")?.hasPrefix("/admin?notice=Queue+orders+deleted") == true)
        #expect(await !harness.engine.queueExists(harness.key))
    }

    @Test func historyIsBoundedToAnHourPerExistingQueue() throws {
        let clock = TestMinutes()
        let history = QueueHistory(now: { clock.milliseconds.withLock { $0 } })
        let a = QueueKey(account: "1", region: "r", name: "a")
        let b = QueueKey(account: "1", region: "r", name: "b")
        for minute in 0..<150 {
            clock.milliseconds.withLock { $0 = Int64(minute) * 60_000 + 5 }
            history.count(a, sent: minute, received: 1)
        }
        let samples = history.history(a)
        #expect(samples.count == QueueHistory.minutes)
        #expect(samples.map(\.sent) == Array(90..<150))
        #expect(samples.allSatisfy { $0.received == 1 && $0.visible == nil })
        history.count(b, deleted: 3)
        history.sampleDepth([b: QueueHistory.Depth(visible: 4, inFlight: 2, delayed: 1)])
        #expect(history.queueCount == 1)
        let last = try #require(history.history(b).last)
        #expect(last.minute == 149 && last.deleted == 3 && last.sent == 0)
        #expect(last.visible == 4 && last.inFlight == 2 && last.delayed == 1)
        clock.milliseconds.withLock { $0 += 61 * 60_000 }
        #expect(history.history(b).allSatisfy { $0.deleted == 0 && $0.visible == nil })
    }
}

/// The time a test's history reads, in epoch milliseconds.
final class TestMinutes: Sendable {
    let milliseconds = Mutex<Int64>(0)
}

@Suite("Queue history sampler")
struct QueueHistorySamplerTests {
    @Test func theSamplerRecordsEveryQueuesDepthAtOnce() async throws {
        let harness = try await AdminTestHarness()
        _ = try await harness.engine.sendMessage(harness.key, SendMessageInput(body: "one"), senderID: "x")
        _ = try await harness.engine.sendMessage(harness.key, SendMessageInput(body: "two", delaySeconds: 60), senderID: "x")
        let history = QueueHistory()
        let sampler = QueueHistorySampler(engine: harness.engine, history: history, interval: 3600)
        let running = Task { try await sampler.run() }
        // Polls with sleeps, not yields: a busy test process once ran out of a million yields
        // (24.8 s) before the sampler's first round came.
        let deadline = ContinuousClock.now + .seconds(30)
        while history.history(harness.key).last?.visible == nil && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(1))
        }
        running.cancel()
        let last = try #require(history.history(harness.key).last)
        #expect(last.visible == 1 && last.delayed == 1 && last.inFlight == 0)
        #expect(history.queueCount == 1)
    }
}
