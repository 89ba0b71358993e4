import Logging
import NIOCore
import NIOHTTP1
import SQSHTTP
import SQSLambda
import Testing

/// An HTTP function against a local endpoint shaped like AWS's Runtime Interface Emulator.
@Suite("HTTPEndpointFunction", .timeLimit(.minutes(1)))
struct HTTPEndpointFunctionTests {
    /// Echoes the event, fails when it contains "fail", hangs when it contains "hang".
    struct Emulator: HTTPResponder {
        func respond(to request: HTTPRequest) async -> HTTPResponse {
            var body = request.body
            let text = body.readString(length: body.readableBytes) ?? ""
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/json")
            if text.contains("hang") {
                try? await Task.sleep(for: .seconds(30))
            }
            if text.contains("fail") {
                headers.add(name: "X-Amz-Function-Error", value: "Unhandled")
                return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(string: #"{"errorType":"Boom","errorMessage":"failed"}"#))
            }
            let path = request.head.uri
            return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(string: #"{"path":"\#(path)","echo":\#(text)}"#))
        }
    }

    func withEmulator(_ body: (Int) async throws -> Void) async throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0), responder: Emulator(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            oversizeResponse: { _ in HTTPResponse(status: .payloadTooLarge) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try #require(await server.localAddress?.port)
            try await body(port)
            group.cancelAll()
        }
    }

    static func invocation(_ payload: String) -> Invocation {
        Invocation(requestID: "r", payload: Array(payload.utf8), deadlineMilliseconds: 0, functionArn: "arn", traceID: "t")
    }

    @Test func postsTheEventAndReturnsTheBody() async throws {
        try await withEmulator { port in
            // A generous timeout for the answers (a loaded machine must not turn them into timeouts),
            // a 1-second one for the hang.
            let configuration = FunctionConfiguration(name: "rie", kind: .url, timeout: 30)
            let function = try #require(HTTPEndpointFunction(configuration: configuration, url: "http://127.0.0.1:\(port)/2015-03-31/functions/function/invocations"))
            let ok = await function.invoke(Self.invocation(#"{"n":1}"#))
            #expect(ok.result == .success(Array(#"{"path":"/2015-03-31/functions/function/invocations","echo":{"n":1}}"#.utf8)))
            let failed = await function.invoke(Self.invocation(#"{"fail":true}"#))
            guard case .functionError(let type, _, _) = failed.result else {
                Issue.record("expected a function error, got \(failed.result)")
                return
            }
            #expect(type == "Unhandled")
            let url = "http://127.0.0.1:\(port)/2015-03-31/functions/function/invocations"
            let impatient = try #require(HTTPEndpointFunction(configuration: FunctionConfiguration(name: "rie", kind: .url, timeout: 1), url: url))
            let hung = await impatient.invoke(Self.invocation(#"{"hang":true}"#))
            #expect(hung.result == .timedOut(seconds: 1))
        }
    }

    @Test func aRefusedConnectionIsAFunctionError() async {
        let configuration = FunctionConfiguration(name: "down", kind: .url, timeout: 2)
        let function = HTTPEndpointFunction(configuration: configuration, url: "http://127.0.0.1:1/invoke")!
        let outcome = await function.invoke(Self.invocation("{}"))
        guard case .functionError(let type, _, _) = outcome.result else {
            Issue.record("expected a function error, got \(outcome.result)")
            return
        }
        #expect(type == "Runtime.ConnectionRefused")
        #expect(HTTPEndpointFunction(configuration: configuration, url: "https://example.com") == nil)
    }
}
