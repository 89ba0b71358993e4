import FoundationEssentials
import SQSEngine
import Testing

/// The admin page and `/metrics` with 10,000 queues: one bounded page per request, dead-letter
/// links computed in one pass, and a scrape that completes. No timing is asserted (measure by hand).
@Suite("Admin at scale", .timeLimit(.minutes(5)))
struct AdminScaleTests {
    static let queueCount = 10_000
    static let dlqCount = 50

    /// `prefix-00042`.
    static func name(_ prefix: String, _ number: Int) -> String {
        let digits = String(number)
        return prefix + "-" + String(repeating: "0", count: max(0, 5 - digits.count)) + digits
    }

    static func makeQueues(_ harness: HostileClientHarness) async throws {
        func key(_ name: String) -> QueueKey { QueueKey(account: "000000000000", region: "us-east-1", name: name) }
        for index in 0..<dlqCount {
            _ = try await harness.engine.createQueue(key(Self.name("dlq", index)), attributes: [:], tags: [:])
        }
        for index in 0..<(queueCount - dlqCount) {
            var attributes: [String: String] = [:]
            if index % 10 == 0 {
                let target = key(Self.name("dlq", (index / 10) % dlqCount))
                attributes["RedrivePolicy"] = #"{"deadLetterTargetArn":"\#(target.arn)","maxReceiveCount":3}"#
            }
            _ = try await harness.engine.createQueue(key(Self.name("queue", index)), attributes: attributes, tags: [:])
        }
        _ = try await harness.engine.sendMessage(key("queue-00000"), SendMessageInput(body: "hello"), senderID: "x")
    }

    struct QueueList: Decodable {
        struct Queue: Decodable {
            var name: String
            var visible: Int
            var deadLetterTargetArn: String?
            var deadLetterSourceArns: [String]
        }

        var queues: [Queue]
        var offset: Int
        var limit: Int
        var total: Int
    }

    static func list(_ harness: HostileClientHarness, _ query: String) async throws -> QueueList {
        let response = await harness.get("/admin/api/queues\(query)")
        #expect(response.status == 200)
        return try JSONDecoder().decode(QueueList.self, from: Data(response.body.utf8))
    }

    @Test func theQueueListIsPagedAndFilteredOnTheServer() async throws {
        let harness = try await HostileClientHarness()
        try await Self.makeQueues(harness)

        let first = try await Self.list(harness, "")
        #expect(first.queues.count == 100)
        #expect(first.total == Self.queueCount)
        #expect(first.offset == 0 && first.limit == 100)
        // Sorted by name; the dead-letter queues list their sources (queue-00000, -00500, … -09500),
        // found in one pass.
        #expect(first.queues.first?.name == "dlq-00000")
        #expect(first.queues.first?.deadLetterSourceArns.count == 20)

        let later = try await Self.list(harness, "?offset=9990&limit=50")
        #expect(later.queues.map(\.name) == (9940..<9950).map { Self.name("queue", $0) })
        #expect(later.total == Self.queueCount)

        let filtered = try await Self.list(harness, "?filter=QUEUE-0000&limit=1000")
        #expect(filtered.queues.map(\.name) == (0..<10).map { Self.name("queue", $0) })
        #expect(filtered.queues.first?.visible == 1)
        #expect(filtered.queues.first?.deadLetterTargetArn == "arn:aws:sqs:us-east-1:000000000000:dlq-00000")
        #expect(filtered.total == 10)

        // The HTML page is one page too, with a pager, not 10,000 rows.
        let page = await harness.get("/admin")
        #expect(page.status == 200)
        #expect(page.body.utf8.count < 512 * 1024)
        #expect(page.body.components(separatedBy: "<tr data-name=").count - 1 == 100)
        #expect(page.body.contains("1–100 of 10000"))
        #expect(page.body.contains(#"href="/admin?offset=100""#))
        let filteredPage = await harness.get("/admin?filter=queue-0990")
        #expect(filteredPage.body.components(separatedBy: "<tr data-name=").count - 1 == 10)

        // A queue's own page finds its sources the same way.
        let dlq = await harness.get("/admin/api/queues/us-east-1/000000000000/dlq-00001")
        #expect(dlq.status == 200)
        #expect(dlq.body.contains("queue-00010"))
    }

    @Test func metricsCompleteWithTenThousandQueues() async throws {
        let harness = try await HostileClientHarness()
        try await Self.makeQueues(harness)
        for _ in 0..<2 {
            let scrape = await harness.get("/metrics")
            #expect(scrape.status == 200)
            let lines = scrape.body.split(separator: "\n")
            #expect(lines.filter { $0.hasPrefix("sqs_approximate_number_of_messages_visible{") }.count == Self.queueCount)
            #expect(scrape.body.contains(#"sqs_approximate_number_of_messages_visible{queue="queue-00000",account="000000000000",region="us-east-1"} 1.0"#))
            #expect(scrape.body.contains("# HELP sqs_approximate_number_of_messages_visible ApproximateNumberOfMessagesVisible"))
        }
    }

    @Test func theScriptNeverHasTwoPollsInFlight() async throws {
        let harness = try await HostileClientHarness()
        let script = await harness.get("/admin/assets/admin.js").body
        #expect(!script.contains("setInterval"))
        #expect(script.contains("if (inFlight) { again = true; return; }"))
    }
}
