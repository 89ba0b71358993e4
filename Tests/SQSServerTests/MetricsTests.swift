import Logging
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSServer
import Testing

/// `/metrics` through the router: exact counter values after traffic.
@Suite("Metrics")
struct MetricsTests {
    @Test func countersAndGaugesFollowTheTraffic() async throws {
        let metrics = ServerMetrics()
        let engine = QueueEngine(
            store: MemoryQueueStore(), clock: ManualClock(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            observer: metrics)
        try await engine.start()
        let router = ServerRouter(engine: engine, defaults: ServerDefaults(), metrics: metrics)

        func call(_ action: String, _ body: String) async -> String {
            var headers = HTTPHeaders()
            headers.add(name: "X-Amz-Target", value: "AmazonSQS.\(action)")
            let request = HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: headers), body: ByteBuffer(string: body))
            return String(buffer: await router.respond(to: request).body)
        }
        _ = await call("CreateQueue", #"{"QueueName":"orders"}"#)
        _ = await call("SendMessageBatch", #"{"QueueUrl":"orders","Entries":[{"Id":"a","MessageBody":"12345"},{"Id":"b","MessageBody":"x"}]}"#)
        _ = await call("SendMessage", #"{"QueueUrl":"orders","MessageBody":"y"}"#)
        let received = await call("ReceiveMessage", #"{"QueueUrl":"orders","MaxNumberOfMessages":2}"#)
        let handle = try #require(received.split(separator: "\"ReceiptHandle\":\"").dropFirst().first?.split(separator: "\"").first)
        _ = await call("DeleteMessage", #"{"QueueUrl":"orders","ReceiptHandle":"\#(handle)"}"#)
        _ = await call("ReceiveMessage", #"{"QueueUrl":"orders","MaxNumberOfMessages":10}"#)
        _ = await call("ReceiveMessage", #"{"QueueUrl":"orders"}"#)
        metrics.invoked(
            InvocationLog().record(
                function: "f", mappingUUID: nil,
                invocation: Invocation(requestID: "r", payload: [], deadlineMilliseconds: 0, functionArn: "a", traceID: "t"), batchSize: 1,
                startedAt: 0, duration: 20, outcome: InvocationOutcome(result: .timedOut(seconds: 3))))

        let scrape = await router.respond(to: HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/metrics")))
        let text = String(buffer: scrape.body)
        #expect(scrape.headers.first(name: "content-type")?.hasPrefix("text/plain; version=0.0.4") == true)
        let labels = #"{queue="orders",account="000000000000",region="us-east-1"}"#
        #expect(text.contains("sqs_number_of_messages_sent_total\(labels) 3"))
        #expect(text.contains("sqs_number_of_messages_received_total\(labels) 3"))
        #expect(text.contains("sqs_number_of_messages_deleted_total\(labels) 1"))
        #expect(text.contains("sqs_number_of_empty_receives_total\(labels) 1"))
        #expect(text.contains("sqs_approximate_number_of_messages_visible\(labels) 0.0\n"))
        #expect(text.contains("sqs_approximate_number_of_messages_not_visible\(labels) 2.0\n"))
        #expect(text.contains(#"sqs_sent_message_size_bytes_count{queue="orders",account="000000000000",region="us-east-1"} 3"#))
        #expect(text.contains(#"sqslite_http_requests_total{action="ReceiveMessage",status="200"} 3"#))
        #expect(text.contains(#"lambda_invocations_total{function="f"} 1"#))
        #expect(text.contains(#"lambda_errors_total{function="f"} 1"#))
        #expect(text.contains("# HELP sqs_number_of_messages_sent_total NumberOfMessagesSent"))
    }
}
