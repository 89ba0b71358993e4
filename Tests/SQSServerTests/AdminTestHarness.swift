import FoundationEssentials
import Logging
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSServer

/// An engine, the Lambda side and a router with the admin page, driven in process.
struct AdminTestHarness {
    static let host = "localhost:9324"
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    let clock = ManualClock()
    let engine: QueueEngine
    let functions = FunctionRegistry()
    let invocations = InvocationLog()
    let mappings: EventSourceMappingManager
    let admin: AdminResponder
    let router: ServerRouter
    let key = QueueKey(account: "000000000000", region: "us-east-1", name: "orders")

    struct Response {
        var status: Int
        var headers: HTTPHeaders
        var body: String
    }

    init(adminToken: String? = nil) async throws {
        engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: Self.logger)
        try await engine.start()
        let invoker = FunctionInvoker(
            functions: functions, log: invocations, account: "000000000000", region: "us-east-1", clock: clock, logger: Self.logger)
        mappings = EventSourceMappingManager(engine: engine, invoker: invoker, store: MemoryMappingStore(), clock: clock, logger: Self.logger)
        let defaults = ServerDefaults(authority: Self.host)
        admin = AdminResponder(
            engine: engine, defaults: defaults,
            lambda: .init(functions: functions, invocations: invocations, mappings: mappings, invoker: invoker),
            activity: QueueActivity(), adminToken: adminToken)
        router = ServerRouter(engine: engine, defaults: defaults, admin: admin)
        _ = try await engine.createQueue(key, attributes: [:], tags: [:])
    }

    func get(_ uri: String, headers extra: [(String, String)] = []) async -> Response {
        await send(.GET, uri, headers: extra)
    }

    /// A same-origin POST of form fields, with the CSRF token unless `csrf` is `false`.
    func post(
        _ uri: String, _ fields: [(String, String)] = [], csrf: Bool = true, origin: String? = "http://\(host)",
        headers extra: [(String, String)] = []
    ) async -> Response {
        var fields = fields
        if csrf { fields.append(("_csrf", admin.csrfToken)) }
        let body = fields.map { "\(Self.encode($0.0))=\(Self.encode($0.1))" }.joined(separator: "&")
        var headers = extra + [("Content-Type", "application/x-www-form-urlencoded")]
        if let origin { headers.append(("Origin", origin)) }
        return await send(.POST, uri, headers: headers, body: body)
    }

    func send(_ method: HTTPMethod, _ uri: String, headers extra: [(String, String)] = [], body: String = "") async -> Response {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: Self.host)
        for (name, value) in extra { headers.add(name: name, value: value) }
        let request = HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers), body: ByteBuffer(string: body))
        let response = await router.respond(to: request)
        return Response(status: Int(response.status.code), headers: response.headers, body: String(buffer: response.body))
    }

    static func encode(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                result.append(Character(Unicode.Scalar(byte)))
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                result += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return result
    }

    /// Every message's delivery state, to compare before and after a read.
    func deliveryState() async throws -> [String: String] {
        let messages = try await engine.peekMessages(key, includeInFlight: true, includeDelayed: true, offset: 0, limit: 1000)
        return Dictionary(
            uniqueKeysWithValues: messages.map {
                ($0.record.messageID, "\($0.record.receiveCount)/\($0.record.visibleAt.milliseconds)/\($0.record.receiptToken)")
            })
    }
}
