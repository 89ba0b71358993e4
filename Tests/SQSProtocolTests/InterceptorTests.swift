import Logging
import SQSEngine
import SQSProtocol
import Synchronization
import Testing

/// The hook the test controls' fault rules use: both protocol handlers consult the interceptor
/// after decoding a request and before it runs, and answer its error in their own exact shape.
@Suite("Request interceptor")
struct InterceptorTests {
    /// Fails every request for `queue` with `error`, and remembers what it saw.
    final class Failing: SQSRequestInterceptor {
        let error: EngineError
        let queue: String
        private let seen = Mutex<[String]>([])

        init(_ error: EngineError, queue: String) {
            self.error = error
            self.queue = queue
        }

        var calls: [String] { seen.withLock { $0 } }

        func intercept(_ call: SQSCallInfo) async -> SQSInterception? {
            seen.withLock { $0.append("\(call.action.rawValue) \(call.queueName ?? "-") \(call.context.senderID)") }
            guard call.queueName == queue else { return nil }
            return SQSInterception(error: error, headers: [("Retry-After", "3")])
        }
    }

    static func engine() async throws -> QueueEngine {
        let engine = QueueEngine(store: MemoryQueueStore(), clock: ManualClock(), logger: Logger(label: "test"))
        try await engine.start()
        return engine
    }

    @Test func theJSONProtocolAnswersTheInterceptedErrorAndRunsNothing() async throws {
        let engine = try await Self.engine()
        let throttling = try #require(AWSErrorMapping.injectableError(named: "ThrottlingException"))
        let interceptor = Failing(throttling, queue: "orders")
        let handler = JSONProtocolHandler(engine: engine, interceptor: interceptor)
        let context = ProtocolFixture.context
        let created = await handler.handle(target: "AmazonSQS.CreateQueue", body: Array(#"{"QueueName":"orders"}"#.utf8), context: context)
        #expect(created.status == 400, "CreateQueue names the queue too")
        #expect(await engine.queueKeys().isEmpty)

        _ = try await engine.createQueue(QueueKey(account: "000000000000", region: "us-east-1", name: "orders"), attributes: [:], tags: [:])
        let body = #"{"QueueUrl":"http://localhost:9324/000000000000/orders","MessageBody":"x"}"#
        let response = await handler.handle(target: "AmazonSQS.SendMessage", body: Array(body.utf8), context: context)
        #expect(response.status == 400)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"__type":"com.amazon.coral.availability#ThrottlingException","message":"Rate exceeded"}"#)
        #expect(response.headers.contains { $0 == ("x-amzn-query-error", "ThrottlingException;Sender") })
        #expect(response.headers.contains { $0 == ("Retry-After", "3") })
        #expect((response.action, response.queueName, response.errorCode) == ("SendMessage", "orders", "ThrottlingException"))
        let attributes = try await engine.getQueueAttributes(
            QueueKey(account: "000000000000", region: "us-east-1", name: "orders"), names: ["ApproximateNumberOfMessages"])
        #expect(attributes["ApproximateNumberOfMessages"] == "0")
        #expect(interceptor.calls == ["CreateQueue orders AKIDEXAMPLE", "SendMessage orders AKIDEXAMPLE"])
    }

    @Test func theQueryProtocolAnswersTheInterceptedErrorAsXML() async throws {
        let engine = try await Self.engine()
        let unavailable = try #require(AWSErrorMapping.injectableError(named: "ServiceUnavailable"))
        let handler = QueryProtocolHandler(engine: engine, interceptor: Failing(unavailable, queue: "orders"))
        let response = await handler.handle(
            parameters: QueryParameters(["Action": "CreateQueue", "QueueName": "orders", "Version": "2012-11-05"]), path: "/",
            context: ProtocolFixture.context)
        #expect(response.status == 503)
        #expect(
            String(decoding: response.body, as: UTF8.self)
                == #"<?xml version="1.0"?><ErrorResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><Error><Type>Receiver</Type><Code>ServiceUnavailable</Code><Message>The request has failed due to a temporary failure of the server.</Message><Detail/></Error><RequestId>req-1</RequestId></ErrorResponse>"#
        )
        #expect(await engine.queueKeys().isEmpty)
    }

    @Test func injectableErrorsAreNamedByJSONTypeOrQueryCode() throws {
        #expect(AWSErrorMapping.injectableError(named: "RequestThrottled").map { AWSErrorMapping.wire(for: $0.code).status } == 403)
        #expect(AWSErrorMapping.injectableError(named: "AWS.SimpleQueueService.NonExistentQueue")?.code == .queueDoesNotExist)
        #expect(AWSErrorMapping.injectableError(named: "QueueDoesNotExist", message: "gone")?.message == "gone")
        #expect(AWSErrorMapping.injectableError(named: "KmsThrottled").map { AWSErrorMapping.wire(for: $0.code).fullJSONType } == "com.amazonaws.sqs#KmsThrottled")
        #expect(AWSErrorMapping.injectableError(named: "NoSuchThing") == nil)
        #expect(AWSErrorMapping.injectableNames.contains("ThrottlingException"))
    }
}
