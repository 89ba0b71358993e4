import Logging
import NIOCore
import NIOEmbedded
import NIOHTTP1
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing

@testable import SQSHTTP

// MARK: - The handler alone, on a testing channel

@Suite("HTTPServerHandler", .timeLimit(.minutes(1)))
struct HTTPServerHandlerTests {
    @Test func aggregatesBodyPartsIntoOneRequest() async throws {
        let channel = try await makeChannel(responder: EchoResponder())
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/echo", headers: ["content-length": "10"])))
        try await channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "hello")))
        try await channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "world")))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))

        let response = try await channel.readResponse()
        #expect(response.head.status == .ok)
        #expect(response.body == "POST /echo helloworld")
        #expect(response.head.headers["content-length"] == ["21"])
        #expect(response.head.headers["connection"].isEmpty)
        #expect(channel.isActive)
        try await channel.close()
    }

    @Test func requestWithoutBodyGetsEmptyBody() async throws {
        let channel = try await makeChannel(responder: EchoResponder())
        try await channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .GET, uri: "/x", headers: ["host": "localhost"])))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        let response = try await channel.readResponse()
        #expect(response.body == "GET /x ")
        try await channel.close()
    }

    @Test func oversizeContentLengthIsAnsweredAtOnceThenClosed() async throws {
        let responder = EchoResponder()
        let channel = try await makeChannel(responder: responder, maxRequestBodySize: 4)
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/big", headers: ["content-length": "10"])))

        // Answered from the head alone, before any body arrives.
        let response = try await channel.readResponse()
        #expect(response.head.status == .payloadTooLarge)
        #expect(response.body == "too big: /big")
        #expect(response.head.headers["connection"] == ["close"])
        #expect(response.head.headers["content-length"] == ["13"])

        // The rest of the request is read and dropped; the connection closes once it has all arrived.
        #expect(channel.isActive)
        try await channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "0123456789")))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        try await channel.closeFuture.get()
        #expect(responder.count == 0)
    }

    @Test func oversizeWhileStreamingIsAnswered() async throws {
        let responder = EchoResponder()
        let channel = try await makeChannel(responder: responder, maxRequestBodySize: 8)
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/chunked", headers: ["transfer-encoding": "chunked"])))
        try await channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "12345")))
        try await channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "6789")))

        let response = try await channel.readResponse()
        #expect(response.head.status == .payloadTooLarge)
        #expect(response.head.headers["connection"] == ["close"])
        try await channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "more")))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        try await channel.closeFuture.get()
        #expect(responder.count == 0)
    }

    @Test func bodyExactlyAtTheLimitIsAccepted() async throws {
        let channel = try await makeChannel(responder: EchoResponder(), maxRequestBodySize: 5)
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/ok", headers: ["content-length": "5"])))
        try await channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "12345")))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        let response = try await channel.readResponse()
        #expect(response.head.status == .ok)
        #expect(response.body == "POST /ok 12345")
        try await channel.close()
    }

    @Test func oversizeConnectionClosesAfterLingerEvenIfTheClientStalls() async throws {
        let channel = try await makeChannel(responder: EchoResponder(), maxRequestBodySize: 4)
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/big", headers: ["content-length": "100"])))
        _ = try await channel.readResponse()
        await channel.testingEventLoop.advanceTime(by: HTTPServerHandler.oversizeLingerTime - .milliseconds(1))
        #expect(channel.isActive)
        await channel.testingEventLoop.advanceTime(by: .milliseconds(1))
        try await channel.closeFuture.get()
    }

    @Test func disconnectCancelsTheResponderAndDropsTheLateResponse() async throws {
        let responder = GatedResponder()
        let channel = try await makeChannel(responder: responder)
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/slow", headers: ["content-length": "0"])))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        #expect(await responder.started.next() == "/slow")

        try await channel.close()
        // The responder's wait ends through cancellation, not through the gate.
        #expect(await responder.cancelled.next() == "/slow")
        await channel.testingEventLoop.run()
        #expect(try await channel.readOutbound(as: HTTPServerResponsePart.self) == nil)
    }

    @Test func http10WithoutKeepAliveClosesAfterTheResponse() async throws {
        let channel = try await makeChannel(responder: EchoResponder())
        try await channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_0, method: .GET, uri: "/old")))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        let response = try await channel.readResponse()
        #expect(response.head.version == .http1_0)
        #expect(response.head.headers["connection"] == ["close"])
        #expect(response.head.headers["content-length"] == ["9"])
        try await channel.closeFuture.get()
    }

    @Test func http10WithKeepAliveStaysOpen() async throws {
        let channel = try await makeChannel(responder: EchoResponder())
        let head = HTTPRequestHead(version: .http1_0, method: .GET, uri: "/old", headers: ["connection": "keep-alive"])
        try await channel.writeInbound(HTTPServerRequestPart.head(head))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        let response = try await channel.readResponse()
        #expect(response.head.headers["connection"] == ["keep-alive"])
        #expect(channel.isActive)
        try await channel.close()
    }

    @Test func connectionCloseFromTheClientClosesAfterTheResponse() async throws {
        let channel = try await makeChannel(responder: EchoResponder())
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/bye", headers: ["content-length": "0", "connection": "close"])))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        let response = try await channel.readResponse()
        #expect(response.head.headers["connection"] == ["close"])
        try await channel.closeFuture.get()
    }

    @Test func connectionCloseFromTheResponderClosesAfterTheResponse() async throws {
        let channel = try await makeChannel(responder: EchoResponder(extraHeaders: ["Connection": "Close"]))
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/x", headers: ["content-length": "0"])))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        let response = try await channel.readResponse()
        #expect(response.head.headers["connection"] == ["close"])
        try await channel.closeFuture.get()
    }

    @Test func responderContentLengthIsCorrected() async throws {
        let channel = try await makeChannel(responder: EchoResponder(extraHeaders: ["Content-Length": "999"]))
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/x", headers: ["content-length": "0"])))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        let response = try await channel.readResponse()
        #expect(response.head.headers["content-length"] == ["8"])
        try await channel.close()
    }

    @Test func headRequestGetsContentLengthButNoBody() async throws {
        let channel = try await makeChannel(responder: EchoResponder())
        try await channel.writeInbound(HTTPServerRequestPart.head(HTTPRequestHead(version: .http1_1, method: .HEAD, uri: "/h", headers: ["host": "localhost"])))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        let response = try await channel.readResponse()
        #expect(response.head.headers["content-length"] == ["8"])
        #expect(response.body == "")
        try await channel.close()
    }

    @Test func expectContinueGetsAnInterimResponse() async throws {
        let channel = try await makeChannel(responder: EchoResponder())
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/e", headers: ["content-length": "2", "expect": "100-continue"])))
        guard case .head(let interim) = try await channel.waitForOutboundWrite(as: HTTPServerResponsePart.self) else {
            Issue.record("expected an interim head")
            return
        }
        #expect(interim.status == .continue)
        try await channel.writeInbound(HTTPServerRequestPart.body(ByteBuffer(string: "hi")))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        let response = try await channel.readResponse()
        #expect(response.body == "POST /e hi")
        try await channel.close()
    }

    @Test func malformedRequestIsAnsweredWith400() async throws {
        let channel = try await makeChannel(responder: EchoResponder())
        channel.pipeline.fireErrorCaught(HTTPParserError.invalidMethod)
        let response = try await channel.readResponse()
        #expect(response.head.status == .badRequest)
        #expect(response.head.headers["connection"] == ["close"])
        #expect(response.head.headers["content-length"] == ["0"])
        try await channel.closeFuture.get()
    }

    @Test func parseErrorAfterAClosingResponseIsNotAnswered() async throws {
        let channel = try await makeChannel(responder: EchoResponder())
        try await channel.writeInbound(HTTPServerRequestPart.head(.post("/bye", headers: ["content-length": "0", "connection": "close"])))
        try await channel.writeInbound(HTTPServerRequestPart.end(nil))
        _ = try await channel.readResponse()
        channel.pipeline.fireErrorCaught(HTTPParserError.closedConnection)
        try await channel.closeFuture.get()
        #expect(try await channel.readOutbound(as: HTTPServerResponsePart.self) == nil)
    }
}

// MARK: - A live server on an ephemeral port

@Suite("HTTPServer", .timeLimit(.minutes(1)))
struct HTTPServerTests {
    @Test func keepAliveServesTwoRequestsOnOneConnection() async throws {
        try await withServer(responder: EchoResponder()) { port, _ in
            try await withConnection(port: port) { connection in
                try await connection.send("POST /one HTTP/1.1\r\nHost: localhost\r\nContent-Length: 3\r\n\r\nabc")
                let first = try #require(try await connection.readResponse())
                #expect(first.status == 200)
                #expect(first.body == "POST /one abc")
                #expect(first.headers["content-length"] == "13")
                #expect(first.headers["connection"] == nil)

                try await connection.send("GET /two HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let second = try #require(try await connection.readResponse())
                #expect(second.body == "GET /two ")
            }
        }
    }

    @Test func theResponderAndTheActorsItCallsRunOnTheConnectionsEventLoop() async throws {
        try await withServer(responder: EventLoopProbeResponder()) { port, _ in
            try await withConnection(port: port) { connection in
                for _ in 0..<3 {
                    try await connection.send("GET /probe HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    let response = try #require(try await connection.readResponse())
                    #expect(response.body == "responder on an event loop: true, actor on an event loop: true")
                }
            }
        }
    }

    @Test func pipelinedRequestsAreAnsweredInOrder() async throws {
        let responder = GatedResponder()
        try await withServer(responder: responder) { port, _ in
            try await withConnection(port: port) { connection in
                try await connection.send(
                    "POST /slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\n\r\nA"
                        + "POST /fast HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\n\r\nB"
                )
                #expect(await responder.started.next() == "/slow")
                responder.gate.open()
                let first = try #require(try await connection.readResponse())
                let second = try #require(try await connection.readResponse())
                #expect(first.body == "POST /slow A")
                #expect(second.body == "POST /fast B")
                #expect(await responder.started.next() == "/fast")
            }
        }
    }

    @Test func oversizeBodyGetsTheOversizeResponseAndTheServerKeepsServing() async throws {
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, maxRequestBodySize: 16)
        try await withServer(configuration: configuration, responder: EchoResponder()) { port, _ in
            try await withConnection(port: port) { connection in
                let body = String(repeating: "x", count: 64)
                try await connection.send("POST /big HTTP/1.1\r\nHost: localhost\r\nContent-Length: 64\r\n\r\n\(body)")
                let response = try #require(try await connection.readResponse())
                #expect(response.status == 413)
                #expect(response.body == "too big: /big")
                #expect(response.headers["connection"] == "close")
                #expect(try await connection.readResponse() == nil)  // closed
            }
            try await withConnection(port: port) { connection in
                try await connection.send("POST /small HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nok")
                let response = try #require(try await connection.readResponse())
                #expect(response.status == 200)
                #expect(response.body == "POST /small ok")
            }
        }
    }

    @Test func connectionCloseIsHonoured() async throws {
        try await withServer(responder: EchoResponder()) { port, _ in
            try await withConnection(port: port) { connection in
                try await connection.send(
                    "GET /a HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n" + "GET /b HTTP/1.1\r\nHost: localhost\r\n\r\n"
                )
                let response = try #require(try await connection.readResponse())
                #expect(response.body == "GET /a ")
                #expect(response.headers["connection"] == "close")
                // The request after `Connection: close` is neither answered nor rejected.
                #expect(try await connection.readResponse() == nil)
            }
        }
    }

    @Test func malformedRequestGetsA400AndTheServerKeepsServing() async throws {
        try await withServer(responder: EchoResponder()) { port, _ in
            try await withConnection(port: port) { connection in
                try await connection.send("NOT HTTP AT ALL\r\n\r\n")
                let response = try #require(try await connection.readResponse())
                #expect(response.status == 400)
                #expect(try await connection.readResponse() == nil)
            }
            try await withConnection(port: port) { connection in
                try await connection.send("GET /fine HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(try await connection.readResponse()?.status == 200)
            }
        }
    }

    @Test func idleKeepAliveConnectionIsClosedButASlowResponseIsNot() async throws {
        // Two seconds of idleness, so a test task starved for a second on a loaded machine still
        // sends its request before the server closes the new connection.
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, idleTimeout: .seconds(2))
        let responder = GatedResponder()
        try await withServer(configuration: configuration, responder: responder) { port, _ in
            try await withConnection(port: port) { connection in
                try await connection.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(await responder.started.next() == "/slow")
                // Hold the response for over two idle periods.
                try await Task.sleep(for: .milliseconds(4500))
                responder.gate.open()
                let response = try #require(try await connection.readResponse())
                #expect(response.status == 200)
                // Then, idle, the connection is closed.
                #expect(try await connection.readResponse() == nil)
            }
        }
    }

    @Test func gracefulShutdownEndsLongPollsThenClosesConnectionsAndReturns() async throws {
        let responder = GatedResponder()
        let shutdownCalled = Mutex(false)
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: responder,
            logger: testLogger,
            oversizeResponse: tooBig,
            onShutdown: {
                // What the engine does: end the long polls.
                shutdownCalled.withLock { $0 = true }
                responder.gate.open()
            }
        )
        let group = ServiceGroup(services: [server], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try #require(await server.localAddress?.port)

            try await withConnection(port: port) { idle in
                try await idle.send("GET /quick HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(await responder.started.next() == "/quick")
                #expect(try await idle.readResponse()?.status == 200)

                try await withConnection(port: port) { busy in
                    try await busy.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    #expect(await responder.started.next() == "/slow")

                    await group.triggerGracefulShutdown()

                    let response = try #require(try await busy.readResponse())
                    #expect(response.status == 200)
                    #expect(response.body == "GET /slow ")
                    #expect(try await busy.readResponse() == nil)
                }
                #expect(try await idle.readResponse() == nil)
            }
            // run() returned, so the group did too.
            try await tasks.next()
            #expect(shutdownCalled.withLock { $0 })
            #expect(responder.cancelled.isEmpty)
            await #expect(throws: (any Error).self) {
                try await withConnection(port: port) { _ in }
            }
        }
    }

    @Test func gracefulShutdownLetsAnInFlightRequestFinishWithConnectionClose() async throws {
        let responder = GatedResponder()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: responder,
            logger: testLogger,
            oversizeResponse: tooBig
        )
        let group = ServiceGroup(services: [server], logger: testLogger)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let port = try #require(await server.localAddress?.port)

            try await withConnection(port: port) { busy in
                try await busy.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(await responder.started.next() == "/slow")

                await group.triggerGracefulShutdown()
                // Wait (boundedly) until the listener is closed: the server is now quiescing.
                var refused = false
                for _ in 0..<500 where !refused {
                    do {
                        try await withConnection(port: port) { _ in }
                        try await Task.sleep(for: .milliseconds(5))
                    } catch {
                        refused = true
                    }
                }
                #expect(refused)

                responder.gate.open()
                let response = try #require(try await busy.readResponse())
                #expect(response.status == 200)
                #expect(response.headers["connection"] == "close")
                #expect(try await busy.readResponse() == nil)
            }
            try await tasks.next()
            #expect(responder.cancelled.isEmpty)
        }
    }

    @Test func cancellationClosesEverythingPromptly() async throws {
        let responder = GatedResponder()
        let server = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: responder,
            logger: testLogger,
            oversizeResponse: tooBig
        )
        let run = Task { try await server.run() }
        let port = try #require(await server.localAddress?.port)
        try await withConnection(port: port) { connection in
            try await connection.send("GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n")
            #expect(await responder.started.next() == "/slow")
            run.cancel()
            #expect(try await connection.readResponse() == nil)
            #expect(await responder.cancelled.next() == "/slow")
        }
        try await run.value
        #expect(await server.localAddress == nil)
    }

    @Test func localAddressIsNilWhenBindingFails() async throws {
        let first = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: 0),
            responder: EchoResponder(),
            logger: testLogger,
            oversizeResponse: tooBig
        )
        let firstRun = Task { try await first.run() }
        let port = try #require(await first.localAddress?.port)

        let second = HTTPServer(
            configuration: HTTPServerConfiguration(host: "127.0.0.1", port: port),
            responder: EchoResponder(),
            logger: testLogger,
            oversizeResponse: tooBig
        )
        async let address = second.localAddress
        await #expect(throws: (any Error).self) { try await second.run() }
        #expect(await address == nil)
        firstRun.cancel()
        try await firstRun.value
    }
}

// MARK: - Helpers

let testLogger = Logger(label: "HTTPServerTests", factory: { _ in SwiftLogNoOpLogHandler() })

@Sendable func tooBig(_ head: HTTPRequestHead) -> HTTPResponse {
    HTTPResponse(status: .payloadTooLarge, body: ByteBuffer(string: "too big: \(head.uri)"))
}

private func makeChannel(responder: some HTTPResponder, maxRequestBodySize: Int = 1024) async throws -> NIOAsyncTestingChannel {
    let channel = try await NIOAsyncTestingChannel { channel in
        try channel.pipeline.syncOperations.addHandler(
            HTTPServerHandler(
                responder: responder,
                maxRequestBodySize: maxRequestBodySize,
                oversizeResponse: tooBig,
                logger: testLogger,
                respondsOnEventLoop: false
            )
        )
    }
    try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).get()
    return channel
}

/// Runs a server on an ephemeral port inside a `ServiceGroup`, then shuts it down gracefully.
func withServer(
    configuration: HTTPServerConfiguration = HTTPServerConfiguration(host: "127.0.0.1", port: 0),
    responder: some HTTPResponder,
    logger: Logger = testLogger,
    onAccept: (@Sendable (any Channel) -> Void)? = nil,
    _ body: (Int, ServiceGroup) async throws -> Void
) async throws {
    let server = HTTPServer(
        configuration: configuration, responder: responder, logger: logger, oversizeResponse: tooBig, onAccept: onAccept)
    let group = ServiceGroup(services: [server], logger: testLogger)
    try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let port = try #require(await server.localAddress?.port)
        do {
            try await body(port, group)
        } catch {
            await group.triggerGracefulShutdown()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
    }
}

/// Echoes `METHOD URI BODY`, counting the requests it saw.
final class EchoResponder: HTTPResponder {
    private let seen = Atomic(0)
    private let extraHeaders: HTTPHeaders

    init(extraHeaders: HTTPHeaders = [:]) {
        self.extraHeaders = extraHeaders
    }

    var count: Int { self.seen.load(ordering: .relaxed) }

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        self.seen.add(1, ordering: .relaxed)
        var body = ByteBuffer(string: "\(request.head.method.rawValue) \(request.head.uri) ")
        var requestBody = request.body
        body.writeBuffer(&requestBody)
        return HTTPResponse(status: .ok, headers: self.extraHeaders, body: body)
    }
}

/// Answers whether its code, and a default actor's it awaits, ran on a NIO event loop thread.
final class EventLoopProbeResponder: HTTPResponder {
    private actor Probe {
        func onEventLoop() -> Bool { MultiThreadedEventLoopGroup.currentEventLoop != nil }
    }
    private let probe = Probe()

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        let responder = MultiThreadedEventLoopGroup.currentEventLoop != nil
        let actor = await self.probe.onEventLoop()
        return HTTPResponse(status: .ok, body: ByteBuffer(string: "responder on an event loop: \(responder), actor on an event loop: \(actor)"))
    }
}

/// Reports each request it starts, and holds those whose URI starts with `/slow` until its gate opens
/// (or the request's task is cancelled, which it reports too); then echoes like ``EchoResponder``.
final class GatedResponder: HTTPResponder {
    let gate = Gate()
    let started = Signals()
    let cancelled = Signals()

    func respond(to request: HTTPRequest) async -> HTTPResponse {
        self.started.send(request.head.uri)
        if request.head.uri.hasPrefix("/slow") {
            if await !self.gate.wait() {
                self.cancelled.send(request.head.uri)
            }
        }
        return await EchoResponder().respond(to: request)
    }
}

/// A one-shot latch: ``wait()`` returns `true` once ``open()`` was called, or `false` when the waiting task is cancelled.
final class Gate: Sendable {
    private struct State {
        var isOpen = false
        var nextID = 0
        var waiters: [Int: CheckedContinuation<Bool, Never>] = [:]
    }

    private let state = Mutex(State())

    func open() {
        let waiters = self.state.withLock { state in
            state.isOpen = true
            defer { state.waiters = [:] }
            return state.waiters
        }
        for waiter in waiters.values {
            waiter.resume(returning: true)
        }
    }

    func wait() async -> Bool {
        let id = self.state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let immediate: Bool? = self.state.withLock { state in
                    if state.isOpen { return true }
                    if Task.isCancelled { return false }
                    state.waiters[id] = continuation
                    return nil
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter = self.state.withLock { $0.waiters.removeValue(forKey: id) }
            waiter?.resume(returning: false)
        }
    }
}

/// A queue of strings one side sends and the test awaits, instead of sleeping.
final class Signals: Sendable {
    private let stream: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let sent = Mutex(0)

    init() {
        (self.stream, self.continuation) = AsyncStream.makeStream()
    }

    func send(_ value: String) {
        self.sent.withLock { $0 += 1 }
        self.continuation.yield(value)
    }

    /// Whether nothing was ever sent.
    var isEmpty: Bool { self.sent.withLock { $0 == 0 } }

    /// The next value sent (in order); `nil` if the waiting task is cancelled.
    func next() async -> String? {
        var iterator = self.stream.makeAsyncIterator()
        return await iterator.next()
    }
}

private struct CollectedResponse {
    var head: HTTPResponseHead
    var body: String
}

extension NIOAsyncTestingChannel {
    /// Reads one whole response (head, body, end) that the handler wrote.
    fileprivate func readResponse() async throws -> CollectedResponse {
        guard case .head(let head) = try await self.waitForOutboundWrite(as: HTTPServerResponsePart.self) else {
            throw TestFailure("expected a response head")
        }
        var body = ""
        while true {
            switch try await self.waitForOutboundWrite(as: HTTPServerResponsePart.self) {
            case .head:
                throw TestFailure("unexpected second head")
            case .body(.byteBuffer(let buffer)):
                body += String(buffer: buffer)
            case .body(.fileRegion):
                throw TestFailure("unexpected file region")
            case .end:
                return CollectedResponse(head: head, body: body)
            }
        }
    }
}

extension HTTPRequestHead {
    /// A POST with `Host: localhost` added to `headers`.
    fileprivate static func post(_ uri: String, headers: HTTPHeaders) -> HTTPRequestHead {
        var headers = headers
        headers.add(name: "host", value: "localhost")
        return HTTPRequestHead(version: .http1_1, method: .POST, uri: uri, headers: headers)
    }
}

struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: - A raw-socket HTTP client

/// A response as read off the wire.
struct RawResponse: Equatable {
    var status: Int
    /// Header names lowercased; the last value wins.
    var headers: [String: String]
    var body: String
}

/// One TCP connection that sends raw bytes and parses responses by `Content-Length`.
struct RawConnection {
    var inbound: NIOAsyncChannelInboundStream<ByteBuffer>.AsyncIterator
    var outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    var buffer = ByteBuffer()

    func send(_ text: String) async throws {
        try await self.outbound.write(ByteBuffer(string: text))
    }

    /// The next complete response, or `nil` if the server closed the connection first.
    mutating func readResponse() async throws -> RawResponse? {
        while true {
            if let response = try self.parse() { return response }
            guard var more = try await self.inbound.next() else {
                if self.buffer.readableBytes > 0 { throw TestFailure("connection closed mid-response") }
                return nil
            }
            self.buffer.writeBuffer(&more)
        }
    }

    private mutating func parse() throws -> RawResponse? {
        let text = String(buffer: self.buffer)
        guard let headerEnd = text.utf8.firstRange(of: "\r\n\r\n".utf8) else { return nil }
        let headerText = String(text[text.startIndex..<headerEnd.lowerBound])
        var lines = headerText.split(separator: "\r\n", omittingEmptySubsequences: false).map(String.init)
        let statusLine = lines.removeFirst().split(separator: " ")
        guard statusLine.count >= 2, let status = Int(statusLine[1]) else { throw TestFailure("bad status line") }
        var headers: [String: String] = [:]
        for line in lines {
            guard let colon = line.firstIndex(of: ":") else { throw TestFailure("bad header \(line)") }
            let name = line[..<colon].lowercased()
            headers[name] = line[line.index(after: colon)...].trimmingSpaces()
        }
        guard let length = headers["content-length"].flatMap({ Int($0) }) else {
            throw TestFailure("response without content-length")
        }
        let headerBytes = text.utf8.distance(from: text.startIndex, to: headerEnd.upperBound)
        guard self.buffer.readableBytes >= headerBytes + length else { return nil }
        self.buffer.moveReaderIndex(forwardBy: headerBytes)
        let body = self.buffer.readString(length: length) ?? ""
        self.buffer.discardReadBytes()
        return RawResponse(status: status, headers: headers, body: body)
    }
}

extension Substring {
    fileprivate func trimmingSpaces() -> String {
        String(self.drop(while: { $0 == " " }).reversed().drop(while: { $0 == " " }).reversed())
    }
}

func withConnection(port: Int, _ body: (inout RawConnection) async throws -> Void) async throws {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
    try await channel.executeThenClose { inbound, outbound in
        var connection = RawConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
        try await body(&connection)
    }
}
