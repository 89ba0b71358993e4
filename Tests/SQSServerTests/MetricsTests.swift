import Logging
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSServer
import Testing

/// `/metrics` through the router: exact counter and gauge values after traffic.
@Suite("Metrics", .timeLimit(.minutes(1)))
struct MetricsTests {
    /// An engine on a manual clock, its metrics and the router serving `/metrics`.
    struct Fixture {
        let clock = ManualClock()
        let metrics = ServerMetrics()
        let engine: QueueEngine
        let router: ServerRouter

        init() async throws {
            engine = QueueEngine(
                store: MemoryQueueStore(), clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
                observer: metrics)
            try await engine.start()
            router = ServerRouter(engine: engine, defaults: ServerDefaults(), metrics: metrics)
        }

        @discardableResult
        func call(_ action: String, _ body: String, uri: String = "/") async -> String {
            var headers = HTTPHeaders()
            headers.add(name: "X-Amz-Target", value: "AmazonSQS.\(action)")
            let head = HTTPRequestHead(version: .http1_1, method: .POST, uri: uri, headers: headers)
            return String(buffer: await router.respond(to: HTTPRequest(head: head, body: ByteBuffer(string: body))).body)
        }

        func scrape() async -> (text: String, contentType: String?) {
            let response = await router.respond(to: HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/metrics")))
            return (String(buffer: response.body), response.headers.first(name: "content-type"))
        }

        /// The scrape's samples by `name{labels}`.
        func samples() async -> [String: Double] {
            var samples: [String: Double] = [:]
            for line in await scrape().text.split(separator: "\n") where !line.hasPrefix("#") {
                guard let space = line.lastIndex(of: " "), let value = Double(line[line.index(after: space)...]) else { continue }
                samples[String(line[..<space])] = value
            }
            return samples
        }
    }

    static let orders = #"{queue="orders",account="000000000000",region="us-east-1"}"#

    static func handle(in response: String) -> Substring? {
        response.split(separator: "\"ReceiptHandle\":\"").dropFirst().first?.split(separator: "\"").first
    }

    @Test func countersFollowTheTraffic() async throws {
        let f = try await Fixture()
        await f.call("CreateQueue", #"{"QueueName":"orders"}"#)
        await f.call("SendMessageBatch", #"{"QueueUrl":"orders","Entries":[{"Id":"a","MessageBody":"12345"},{"Id":"b","MessageBody":"x"}]}"#)
        await f.call("SendMessage", #"{"QueueUrl":"orders","MessageBody":"y"}"#)
        let received = await f.call("ReceiveMessage", #"{"QueueUrl":"orders","MaxNumberOfMessages":2}"#)
        let handle = try #require(Self.handle(in: received))
        await f.call("DeleteMessage", #"{"QueueUrl":"orders","ReceiptHandle":"\#(handle)"}"#)
        await f.call("ReceiveMessage", #"{"QueueUrl":"orders","MaxNumberOfMessages":10}"#)
        await f.call("ReceiveMessage", #"{"QueueUrl":"orders"}"#)
        await f.call("SendMessage", #"{"QueueUrl":"missing","MessageBody":"y"}"#)

        let (text, contentType) = await f.scrape()
        #expect(contentType?.hasPrefix("text/plain; version=0.0.4") == true)
        let samples = await f.samples()
        #expect(samples["sqs_number_of_messages_sent_total\(Self.orders)"] == 3)
        #expect(samples["sqs_number_of_messages_received_total\(Self.orders)"] == 3)
        #expect(samples["sqs_number_of_messages_deleted_total\(Self.orders)"] == 1)
        #expect(samples["sqs_number_of_empty_receives_total\(Self.orders)"] == 1)
        #expect(samples["sqs_sent_message_size_bytes_count\(Self.orders)"] == 3)
        #expect(samples["sqs_sent_message_size_bytes_sum\(Self.orders)"] == 7)
        #expect(samples[#"sqs_sent_message_size_bytes_bucket{queue="orders",account="000000000000",region="us-east-1",le="64.0"}"#] == 3)
        #expect(samples[#"sqslite_http_requests_total{action="ReceiveMessage",status="200"}"#] == 3)
        #expect(samples[#"sqslite_http_requests_total{action="SendMessage",status="200"}"#] == 1)
        #expect(samples[#"sqslite_http_requests_total{action="SendMessage",status="400"}"#] == 1)
        #expect(samples[#"sqslite_http_request_duration_seconds_count{action="SendMessage"}"#] == 2)
        // The CloudWatch name is in each family's HELP line, just before its TYPE line.
        #expect(text.contains("# HELP sqs_number_of_messages_sent_total NumberOfMessagesSent: "))
        #expect(text.contains("# HELP sqs_approximate_age_of_oldest_message_seconds ApproximateAgeOfOldestMessage: "))
        #expect(text.contains("SendMessage and SendMessageBatch.\n# TYPE sqs_number_of_messages_sent_total counter\n"))
    }

    /// SDK requests (JSON, posted to `/`) take the router's shortcut; their label must be the one
    /// the general path gives: the action, or `Unknown` for a target that is no SQS action.
    @Test func jsonRequestsAreLabelledAlikeOnBothRoutes() async throws {
        let f = try await Fixture()
        await f.call("CreateQueue", #"{"QueueName":"orders"}"#)
        await f.call("SendMessage", #"{"QueueUrl":"orders","MessageBody":"a"}"#)
        await f.call("SendMessage", #"{"QueueUrl":"orders","MessageBody":"b"}"#, uri: "/000000000000/orders")
        let unknown = await f.call("Nope", "{}")
        #expect(unknown.contains("UnknownOperationException"))
        await f.call("Nope", "{}", uri: "/000000000000/orders")
        // Made-up targets, however many, share the one label: a client cannot grow the metrics.
        await f.call("", "{}")
        await f.call(String(repeating: "x", count: 5_000), "{}")
        let samples = await f.samples()
        #expect(samples[#"sqslite_http_requests_total{action="SendMessage",status="200"}"#] == 2)
        #expect(samples[#"sqslite_http_requests_total{action="Unknown",status="400"}"#] == 4)
        #expect(!samples.keys.contains { $0.contains("xxxxx") })
        #expect(samples["sqs_number_of_messages_sent_total\(Self.orders)"] == 2)
    }

    @Test func gaugesAreReadFromTheEngineAtEachScrape() async throws {
        let f = try await Fixture()
        await f.call("CreateQueue", #"{"QueueName":"orders"}"#)
        await f.call("CreateQueue", #"{"QueueName":"idle"}"#)
        await f.call("SendMessage", #"{"QueueUrl":"orders","MessageBody":"a"}"#)
        f.clock.advance(seconds: 30)
        await f.call("SendMessage", #"{"QueueUrl":"orders","MessageBody":"b"}"#)
        await f.call("SendMessage", #"{"QueueUrl":"orders","MessageBody":"c","DelaySeconds":60}"#)
        await f.call("ReceiveMessage", #"{"QueueUrl":"orders"}"#)
        f.clock.advance(seconds: 12)

        var samples = await f.samples()
        #expect(samples["sqs_approximate_number_of_messages_visible\(Self.orders)"] == 1)
        #expect(samples["sqs_approximate_number_of_messages_not_visible\(Self.orders)"] == 1)
        #expect(samples["sqs_approximate_number_of_messages_delayed\(Self.orders)"] == 1)
        #expect(samples["sqs_approximate_age_of_oldest_message_seconds\(Self.orders)"] == 42)
        let idle = #"{queue="idle",account="000000000000",region="us-east-1"}"#
        #expect(samples["sqs_approximate_number_of_messages_visible\(idle)"] == 0)

        // A deleted queue's gauges leave the exposition; its counters stay.
        await f.call("DeleteQueue", #"{"QueueUrl":"orders"}"#)
        samples = await f.samples()
        #expect(samples["sqs_approximate_number_of_messages_visible\(Self.orders)"] == nil)
        #expect(samples["sqs_number_of_messages_sent_total\(Self.orders)"] == 3)
        #expect(samples["sqs_approximate_number_of_messages_visible\(idle)"] == 0)
    }

    @Test func invocationsAreCountedPerFunction() async throws {
        let f = try await Fixture()
        let log = InvocationLog()
        func invocation(_ result: InvocationOutcome.Result, duration: Int64) -> InvocationRecord {
            log.record(
                function: "worker", mappingUUID: nil,
                invocation: Invocation(requestID: "r", payload: [], deadlineMilliseconds: 0, functionArn: "a", traceID: "t"), batchSize: 1,
                startedAt: 0, duration: duration, outcome: InvocationOutcome(result: result))
        }
        f.metrics.invoked(invocation(.timedOut(seconds: 3), duration: 3000))
        f.metrics.invoked(invocation(.success([]), duration: 20))
        f.metrics.invoked(invocation(.success([]), duration: 2))

        let samples = await f.samples()
        #expect(samples[#"lambda_invocations_total{function="worker"}"#] == 3)
        #expect(samples[#"lambda_errors_total{function="worker"}"#] == 1)
        #expect(samples[#"lambda_throttles_total{function="worker"}"#] == 0)
        #expect(samples[#"lambda_duration_seconds_count{function="worker"}"#] == 3)
        #expect(samples[#"lambda_duration_seconds_sum{function="worker"}"#] == 3.022)
    }

    @Test func everyServerHasItsOwnRegistry() async throws {
        let first = try await Fixture()
        let second = try await Fixture()
        await first.call("CreateQueue", #"{"QueueName":"orders"}"#)
        await second.call("CreateQueue", #"{"QueueName":"orders"}"#)
        await first.call("SendMessage", #"{"QueueUrl":"orders","MessageBody":"a"}"#)
        #expect(await first.samples()["sqs_number_of_messages_sent_total\(Self.orders)"] == 1)
        // A queue's counters start at 0 once it is seen, so rates work from the first scrape.
        #expect(await second.samples()["sqs_number_of_messages_sent_total\(Self.orders)"] == 0)
    }

    @Test func aRunningServerCountsItsQueuesFunctionsAndRequests() async throws {
        let server = SQSLiteServer(
            options: ServerOptions(port: 0, inMemory: true), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        server.functions.register(InProcessFunction(name: "worker") { (_: SQSEvent, _) -> SQSBatchResponse? in nil })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try #require(await server.boundPort)
            func post(_ action: String, _ body: String) async throws {
                try await withConnection(port: port) { connection in
                    try await connection.send(
                        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AmazonSQS.\(action)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                    #expect(try await connection.readResponse()?.status == 200)
                }
            }
            try await post("CreateQueue", #"{"QueueName":"orders"}"#)
            try await post("SendMessage", #"{"QueueUrl":"orders","MessageBody":"hello"}"#)
            try await server.mapQueue("orders", to: "worker")
            // The batch is deleted after the invocation is recorded: wait for the delete.
            var text = ""
            for _ in 0..<1000 where !text.contains("sqs_number_of_messages_deleted_total\(Self.orders) 1\n") {
                try await Task.sleep(for: .milliseconds(5))
                try await withConnection(port: port) { connection in
                    try await connection.send("GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    text = try await connection.readResponse()?.body ?? ""
                }
            }
            #expect(text.contains("sqs_number_of_messages_sent_total\(Self.orders) 1\n"))
            #expect(text.contains("sqs_number_of_messages_received_total\(Self.orders) 1\n"))
            #expect(text.contains("sqs_number_of_messages_deleted_total\(Self.orders) 1\n"))
            #expect(text.contains("sqs_approximate_number_of_messages_visible\(Self.orders) 0.0\n"))
            #expect(text.contains(#"lambda_invocations_total{function="worker"} 1"# + "\n"))
            #expect(text.contains(#"lambda_errors_total{function="worker"} 0"# + "\n"))
            #expect(text.contains(#"sqslite_http_requests_total{action="CreateQueue",status="200"} 1"# + "\n"))
            group.cancelAll()
        }
    }
}
