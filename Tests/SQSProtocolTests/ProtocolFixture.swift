import Logging
import SQSEngine
import SQSProtocol
import Testing

/// A JSON protocol handler over an in-memory engine on a manual clock.
struct ProtocolFixture {
    let engine: QueueEngine
    let handler: JSONProtocolHandler
    let clock = ManualClock()

    init() async throws {
        engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: Logger(label: "test"))
        try await engine.start()
        handler = JSONProtocolHandler(engine: engine)
    }

    static let context = RequestContext(
        account: "000000000000", region: "us-east-1", baseURL: "http://localhost:9324", senderID: "AKIDEXAMPLE", requestID: "req-1")

    /// Calls an action and returns status, body text and headers.
    func call(_ action: String?, _ body: String, context: RequestContext = context) async -> (status: Int, body: String, headers: [String: String]) {
        let target = action.map { $0.contains(".") ? $0 : "AmazonSQS.\($0)" }
        let response = await handler.handle(target: target, body: Array(body.utf8), context: context)
        var headers: [String: String] = [:]
        for header in response.headers { headers[header.name] = header.value }
        #expect(response.contentType == "application/x-amz-json-1.0")
        return (response.status, String(decoding: response.body, as: UTF8.self), headers)
    }

    /// Calls an action that must succeed and returns its body.
    func ok(_ action: String, _ body: String, sourceLocation: SourceLocation = #_sourceLocation) async -> String {
        let result = await call(action, body)
        #expect(result.status == 200, "\(action): \(result.body)", sourceLocation: sourceLocation)
        return result.body
    }
}
