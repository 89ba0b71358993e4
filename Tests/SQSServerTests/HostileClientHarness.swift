import FoundationEssentials
import Logging
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSServer

/// The whole route table (SQS, Lambda API, admin, peek, metrics) over an in-memory engine, driven
/// in process, for requests a hostile or careless client might send.
struct HostileClientHarness {
    static let host = "localhost:9324"
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    let clock = ManualClock()
    let engine: QueueEngine
    let functions = FunctionRegistry()
    let invocations = InvocationLog()
    let invoker: FunctionInvoker
    let mappings: EventSourceMappingManager
    let router: ServerRouter

    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: String
    }

    init(asyncQueue: ((FunctionInvoker) -> AsyncInvocationQueue)? = nil) async throws {
        engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: Self.logger)
        try await engine.start()
        let invoker = FunctionInvoker(
            functions: functions, log: invocations, account: "000000000000", region: "us-east-1", clock: SystemClock(), logger: Self.logger)
        let mappings = EventSourceMappingManager(engine: engine, invoker: invoker, store: MemoryMappingStore(), clock: clock, logger: Self.logger)
        self.invoker = invoker
        self.mappings = mappings
        let defaults = ServerDefaults(authority: Self.host)
        let lambda =
            if let asyncQueue {
                LambdaAPIResponder(mappings: mappings, invoker: invoker, asyncQueue: asyncQueue(invoker))
            } else {
                LambdaAPIResponder(mappings: mappings, invoker: invoker)
            }
        let admin = AdminResponder(
            engine: engine, defaults: defaults,
            lambda: .init(functions: functions, invocations: invocations, mappings: mappings, invoker: invoker))
        router = ServerRouter(engine: engine, defaults: defaults, lambda: lambda, metrics: ServerMetrics(), admin: admin)
    }

    func send(_ method: HTTPMethod, _ uri: String, headers extra: [(String, String)] = [], body: [UInt8] = []) async -> Response {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: Self.host)
        for (name, value) in extra { headers.add(name: name, value: value) }
        let head = HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers)
        let response = await router.respond(to: HTTPRequest(head: head, body: ByteBuffer(bytes: body)))
        return Response(status: Int(response.status.code), headers: response.headers, body: String(buffer: response.body))
    }

    func get(_ uri: String, headers: [(String, String)] = []) async -> Response {
        await send(.GET, uri, headers: headers)
    }

    /// An SQS JSON-protocol call.
    func sqs(_ action: String, _ body: String, headers: [(String, String)] = []) async -> Response {
        await send(
            .POST, "/", headers: [("X-Amz-Target", "AmazonSQS.\(action)"), ("Content-Type", "application/x-amz-json-1.0")] + headers,
            body: Array(body.utf8))
    }

    /// The Lambda API error type of a response (`x-amzn-ErrorType`).
    static func lambdaError(_ response: Response) -> String? {
        response.headers.first(name: "x-amzn-ErrorType")
    }
}
