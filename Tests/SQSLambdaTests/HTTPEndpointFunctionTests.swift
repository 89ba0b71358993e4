import AsyncHTTPClient
import Logging
import NIOCore
import NIOHTTP1
import SQSHTTP
import Synchronization
import Testing

@testable import SQSLambda

/// An HTTP function against a local endpoint shaped like AWS's Runtime Interface Emulator, through
/// the real async-http-client configured as the server configures it.
@Suite("HTTPEndpointFunction", .timeLimit(.minutes(1)))
struct HTTPEndpointFunctionTests {
    /// What the emulator saw of each request.
    final class Recorder: Sendable {
        struct Seen: Sendable {
            var headers: HTTPHeaders
            var clientPort: Int?
        }

        private let seen = Mutex<[Seen]>([])

        func record(_ request: HTTPRequest) {
            seen.withLock { $0.append(Seen(headers: request.head.headers, clientPort: request.remoteAddress?.port)) }
        }

        var all: [Seen] { seen.withLock { $0 } }
    }

    /// Echoes the event; by the event's text: "fail" answers a Lambda error document with
    /// `X-Amz-Function-Error`, "teapot" a 418, "hang" never answers in time, "big:<n>" a body of
    /// `n` bytes.
    struct Emulator: HTTPResponder {
        let recorder: Recorder

        func respond(to request: HTTPRequest) async -> HTTPResponse {
            recorder.record(request)
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
            if text.contains("teapot") {
                return HTTPResponse(status: .imATeapot, headers: headers, body: ByteBuffer(string: "short and stout"))
            }
            if let size = text.split(separator: ":").last.flatMap({ Int($0.filter(\.isNumber)) }), text.contains("big") {
                return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(repeating: UInt8(ascii: "x"), count: size))
            }
            let path = request.head.uri
            return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(string: #"{"path":"\#(path)","echo":\#(text)}"#))
        }
    }

    static let invocationsPath = "/2015-03-31/functions/function/invocations"

    /// Runs an emulator (on `port`, or any free port) for the body, with the port it listens on.
    func withEmulator(port: Int = 0, recorder: Recorder = Recorder(), _ body: (Int) async throws -> Void) async throws {
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port), responder: Emulator(recorder: recorder),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
            oversizeResponse: { _ in HTTPResponse(status: .payloadTooLarge) })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try #require(await server.localAddress?.port)
            try await body(port)
            group.cancelAll()
        }
    }

    /// A client configured as sqslite's server configures the one of its HTTP-endpoint functions.
    func withClient(_ body: (HTTPClient) async throws -> Void) async throws {
        try await HTTPClient.withHTTPClient(configuration: .lambdaEndpoints) { client in
            try await body(client)
        }
    }

    static func function(port: Int, timeout: Int = 30, client: HTTPClient) throws -> HTTPEndpointFunction {
        try #require(
            HTTPEndpointFunction(
                configuration: FunctionConfiguration(name: "rie", kind: .url, timeout: timeout), url: "http://127.0.0.1:\(port)\(invocationsPath)",
                client: client))
    }

    static func invocation(_ payload: String, requestID: String = "r") -> Invocation {
        Invocation(requestID: requestID, payload: Array(payload.utf8), deadlineMilliseconds: 1_700_000_000_000, functionArn: "arn", traceID: "t")
    }

    static func errorType(_ outcome: InvocationOutcome) -> String? {
        guard case .functionError(let type, _, _) = outcome.result else { return nil }
        return type
    }

    // A generous timeout for the answers (a loaded machine must not turn them into timeouts).

    @Test func postsTheEventWithTheRuntimeHeadersAndReturnsTheBody() async throws {
        let recorder = Recorder()
        try await withClient { client in
            try await withEmulator(recorder: recorder) { port in
                let function = try Self.function(port: port, client: client)
                let ok = await function.invoke(Self.invocation(#"{"n":1}"#, requestID: "req-1"))
                #expect(ok.result == .success(Array(#"{"path":"\#(Self.invocationsPath)","echo":{"n":1}}"#.utf8)))
            }
        }
        let headers = try #require(recorder.all.first?.headers)
        #expect(headers["Lambda-Runtime-Aws-Request-Id"] == ["req-1"])
        #expect(headers["Lambda-Runtime-Deadline-Ms"] == ["1700000000000"])
        #expect(headers["Lambda-Runtime-Invoked-Function-Arn"] == ["arn"])
        #expect(headers["Lambda-Runtime-Trace-Id"] == ["t"])
        #expect(headers["X-Amz-Invocation-Type"] == ["RequestResponse"])
        #expect(headers["Content-Type"] == ["application/json"])
    }

    @Test func anErrorHeaderOrAnAnswerOtherThan2xxIsAFunctionError() async throws {
        try await withClient { client in
            try await withEmulator { port in
                let function = try Self.function(port: port, client: client)
                let failed = await function.invoke(Self.invocation(#"{"fail":true}"#))
                #expect(failed.result == .functionError(
                    type: "Unhandled", message: #"{"errorType":"Boom","errorMessage":"failed"}"#,
                    payload: Array(#"{"errorType":"Boom","errorMessage":"failed"}"#.utf8)))
                let teapot = await function.invoke(Self.invocation(#""teapot""#))
                #expect(teapot.result == .functionError(type: "HTTP418", message: "short and stout", payload: []))
            }
        }
    }

    @Test func noAnswerWithinTheTimeoutIsATimeout() async throws {
        try await withClient { client in
            try await withEmulator { port in
                let impatient = try Self.function(port: port, timeout: 1, client: client)
                let start = ContinuousClock.now
                let hung = await impatient.invoke(Self.invocation(#"{"hang":true}"#))
                #expect(hung.result == .timedOut(seconds: 1))
                #expect(ContinuousClock.now - start < .seconds(10), "the cancelled request does not hold the invocation")
                // The endpoint still answers the next invocation.
                let next = await impatient.invoke(Self.invocation(#"{"n":2}"#))
                #expect(next.result == .success(Array(#"{"path":"\#(Self.invocationsPath)","echo":{"n":2}}"#.utf8)))
            }
        }
    }

    @Test func largeBodiesUpToLambdasLimitAreResultsAndLargerOnesAreErrors() async throws {
        try await withClient { client in
            try await withEmulator { port in
                let function = try Self.function(port: port, client: client)
                let big = await function.invoke(Self.invocation(#""big:5000000""#))
                guard case .success(let body) = big.result else {
                    Issue.record("expected a 5 MB result, got \(big.result)")
                    return
                }
                #expect(body.count == 5_000_000 && body.allSatisfy { $0 == UInt8(ascii: "x") })
                let tooBig = await function.invoke(Self.invocation(#""big:\#(FunctionProcess.maxPayloadSize + 1)""#))
                #expect(Self.errorType(tooBig) == "Function.ResponseSizeTooLarge")
                // The connection given up on is not reused: the next answer is whole.
                let after = await function.invoke(Self.invocation(#"{"n":3}"#))
                #expect(after.result == .success(Array(#"{"path":"\#(Self.invocationsPath)","echo":{"n":3}}"#.utf8)))
            }
        }
    }

    @Test func invocationsOneAfterAnotherReuseTheKeptAliveConnection() async throws {
        let recorder = Recorder()
        try await withClient { client in
            try await withEmulator(recorder: recorder) { port in
                let function = try Self.function(port: port, client: client)
                for n in 1...3 {
                    #expect(!(await function.invoke(Self.invocation("{\"n\":\(n)}")).isFailure))
                }
            }
        }
        let ports = recorder.all.compactMap(\.clientPort)
        #expect(ports.count == 3)
        #expect(Set(ports).count == 1, "one connection for the three invocations: \(ports)")
    }

    @Test func aRefusedConnectionIsAFunctionErrorAtOnceNotAtTheTimeout() async throws {
        // A port that was just listened on and is now closed.
        var closedPort = 0
        try await withEmulator { port in closedPort = port }
        try await withClient { client in
            let function = try Self.function(port: closedPort, timeout: 10, client: client)
            let start = ContinuousClock.now
            async let first = function.invoke(Self.invocation("{}"))
            async let second = function.invoke(Self.invocation("{}"))
            let outcomes = await [first, second]
            let elapsed = ContinuousClock.now - start
            #expect(outcomes.map(Self.errorType) == ["Runtime.ConnectionRefused", "Runtime.ConnectionRefused"])
            #expect(elapsed < .seconds(2), "refused after \(elapsed), with a 10 s timeout")
            guard case .functionError(_, let message, _) = outcomes[0].result else { return }
            #expect(message.hasPrefix("127.0.0.1:\(closedPort): "))

            // Once the endpoint listens again, the same client reaches it.
            try await withEmulator(port: closedPort) { _ in
                let outcome = await function.invoke(Self.invocation(#"{"n":4}"#))
                #expect(outcome.result == .success(Array(#"{"path":"\#(Self.invocationsPath)","echo":{"n":4}}"#.utf8)))
            }
        }
    }

    @Test func onlyPlainHTTPURLsMakeFunctions() async throws {
        try await withClient { client in
            let configuration = FunctionConfiguration(name: "down", kind: .url, timeout: 2)
            #expect(HTTPEndpointFunction(configuration: configuration, url: "https://example.com", client: client) == nil)
            #expect(HTTPEndpointFunction(configuration: configuration, url: "http://:80/", client: client) == nil)
            let function = try #require(HTTPEndpointFunction(configuration: configuration, url: "http://localhost:9000", client: client))
            #expect(function.url == EndpointURL("http://localhost:9000/"))
            #expect(function.url.text == "http://localhost:9000/")
        }
    }
}
