import Logging
import NIOCore
import NIOEmbedded
import NIOPosix
import Synchronization
import Testing

@testable import SQSHTTP

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The server against clients that are slow, many, half-closing or from the wrong origin, on real sockets.
@Suite("HTTPServer hardening", .timeLimit(.minutes(1)))
struct HTTPServerHardeningTests {
    // MARK: - Socket options

    @Test func acceptedConnectionsSetTCPNoDelayAtTheTCPLevelAndNotSODebug() async throws {
        let seen = Mutex<[String]>([])
        let onAccept: @Sendable (any Channel) -> Void = { channel in
            let noDelay = channel.getOption(.tcpOption(.tcp_nodelay))
            let debug = channel.getOption(.socketOption(NIOBSDSocket.Option(rawValue: SO_DEBUG)))
            noDelay.and(debug).whenComplete { result in
                seen.withLock { $0.append((try? result.get()).map { "nodelay=\($0.0) debug=\($0.1)" } ?? "error") }
            }
        }
        try await withServer(responder: EchoResponder(), onAccept: onAccept) { port, _ in
            try await withConnection(port: port) { connection in
                try await connection.send("GET /x HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(try await connection.readResponse()?.status == 200)
            }
        }
        // SO_DEBUG needs CAP_NET_ADMIN: setting it made every connection of a non-root server fail.
        #expect(seen.withLock { $0 } == ["nodelay=1 debug=0"])
    }

    // MARK: - Request timeout

    @Test func aClientTricklingItsHeadGets408() async throws {
        let configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, idleTimeout: .seconds(20), requestTimeout: .milliseconds(500))
        let responder = EchoResponder()
        try await withServer(configuration: configuration, responder: responder) { port, _ in
            try await withConnection(port: port) { connection in
                // One byte every 50 ms: each resets the idle timer, so only the request deadline can stop it.
                let trickle = Self.trickle("GET /slow HTTP/1.1\r\nHost: localhost\r\nX-Padding: " + String(repeating: "a", count: 80), to: connection.outbound)
                defer { trickle.cancel() }
                let start = ContinuousClock.now
                let response = try #require(try await connection.readResponse())
                #expect(response.status == 408)
                #expect(response.headers["connection"] == "close")
                // Well before the idle timeout: only the request deadline can have ended it.
                #expect(ContinuousClock.now - start < .seconds(15))
                #expect(try await connection.readResponse() == nil)
            }
        }
        #expect(responder.count == 0)
    }

    @Test func aClientTricklingItsBodyGets408() async throws {
        let configuration = HTTPServerConfiguration(
            host: "127.0.0.1", port: 0, idleTimeout: .seconds(20), requestTimeout: .milliseconds(500))
        try await withServer(configuration: configuration, responder: EchoResponder()) { port, _ in
            try await withConnection(port: port) { connection in
                try await connection.send("POST /slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100\r\n\r\n")
                let trickle = Self.trickle(String(repeating: "b", count: 100), to: connection.outbound)
                defer { trickle.cancel() }
                #expect(try await connection.readResponse()?.status == 408)
                #expect(try await connection.readResponse() == nil)
            }
        }
    }

    @Test func aSlowResponseNeverCountsAgainstTheRequestTimeout() async throws {
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, requestTimeout: .milliseconds(200))
        let responder = GatedResponder()
        try await withServer(configuration: configuration, responder: responder) { port, _ in
            try await withConnection(port: port) { connection in
                // A long poll, with a request pipelined behind it.
                try await connection.send(
                    "GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n" + "GET /next HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(await responder.started.next() == "/slow")
                try await Task.sleep(for: .milliseconds(600))
                responder.gate.open()
                #expect(try await connection.readResponse()?.body == "GET /slow ")
                #expect(try await connection.readResponse()?.body == "GET /next ")
                // The connection is still good.
                try await connection.send("GET /last HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(try await connection.readResponse()?.status == 200)
            }
        }
    }

    // MARK: - Connection cap

    @Test func atMaxConnectionsFurtherClientsWaitUntilOneCloses() async throws {
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, maxConnections: 2)
        let responder = EchoResponder()
        try await withServer(configuration: configuration, responder: responder) { port, _ in
            try await withConnection(port: port) { first in
                try await first.send("GET /a HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(try await first.readResponse()?.status == 200)
                try await withConnection(port: port) { second in
                    try await second.send("GET /b HTTP/1.1\r\nHost: localhost\r\n\r\n")
                    #expect(try await second.readResponse()?.status == 200)
                    try await withConnection(port: port) { third in
                        // Connected by the kernel's backlog, but not accepted: nothing is served.
                        try await third.send("GET /c HTTP/1.1\r\nHost: localhost\r\n\r\n")
                        try await Task.sleep(for: .milliseconds(300))
                        #expect(responder.count == 2)

                        try await first.send("GET /bye HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n")
                        #expect(try await first.readResponse()?.status == 200)
                        #expect(try await first.readResponse() == nil)
                        #expect(try await third.readResponse()?.body == "GET /c ")
                    }
                }
            }
        }
    }

    @Test func runningOutOfDescriptorsBacksOffAndLogsOncePerOutage() throws {
        let messages = LoggedMessages()
        let logger = Logger(label: "test") { _ in RecordingLogHandler(messages: messages) }
        let limit = HTTPAcceptLimitHandler(maxConnections: 8, logger: logger)
        let enobufs = IOError(errnoCode: ENOBUFS, reason: "accept")
        for _ in 0..<5 {
            #expect(limit.backoff(for: enobufs) == HTTPAcceptLimitHandler.backoffTime)
        }
        #expect(limit.backoff(for: IOError(errnoCode: ECONNABORTED, reason: "accept")) == nil)
        #expect(messages.all.count == 1)

        let emfile = IOError(errnoCode: EMFILE, reason: "accept")
        let server = EmbeddedChannel(handler: limit)
        #expect(limit.holdsReserve)
        #expect(limit.backoff(for: emfile) == HTTPAcceptLimitHandler.backoffTime)
        // Out of descriptors, the reserve is given up so that one connection can be accepted and closed,
        // which ends NIO's pending read (else it retries `accept` at once, forever).
        #expect(!limit.holdsReserve)
        let shed = EmbeddedChannel()
        try shed.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).wait()
        #expect(shed.isActive)
        try server.writeInbound(shed as any Channel)
        #expect(try server.readInbound(as: (any Channel).self) == nil)
        #expect(!shed.isActive)
        shed.embeddedEventLoop.run()
        server.embeddedEventLoop.run()
        #expect(limit.holdsReserve)
        #expect(limit.connectionCount == 0)
        #expect(messages.all.count == 1)

        // An accepted connection ends the outage; the next one is logged again.
        let child = EmbeddedChannel()
        try server.writeInbound(child as any Channel)
        #expect(limit.connectionCount == 1)
        _ = limit.backoff(for: emfile)
        #expect(messages.all.count == 3)
        #expect(messages.all.dropFirst().first == "Accepting connections again")
        child.close(promise: nil)
        child.embeddedEventLoop.run()
        server.embeddedEventLoop.run()
        #expect(limit.connectionCount == 0)
        _ = try server.finish()
    }

    // MARK: - Half-close

    @Test func aRequestFollowedByAHalfCloseIsAnswered() async throws {
        try await withServer(responder: EchoResponder()) { port, _ in
            let responses = try await sendThenHalfClose(port: port, "GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
            // Answered, then closed (with `Connection: close` when the half-close arrived before the answer).
            #expect(responses.map(\.body) == ["GET /health "])
        }
    }

    @Test func pipelinedRequestsBeforeAHalfCloseAreAllAnsweredInOrder() async throws {
        let responder = GatedResponder()
        responder.gate.open()
        try await withServer(responder: responder) { port, _ in
            let responses = try await sendThenHalfClose(
                port: port,
                "GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n" + "POST /two HTTP/1.1\r\nHost: localhost\r\nContent-Length: 2\r\n\r\nhi")
            #expect(responses.map(\.body) == ["GET /slow ", "POST /two hi"])
        }
    }

    // MARK: - Host

    @Test func anUnknownHostGets403NamingTheOptionAndTheConnectionStaysUsable() async throws {
        let responder = EchoResponder()
        try await withServer(responder: responder) { port, _ in
            try await withConnection(port: port) { connection in
                try await connection.send("GET /admin HTTP/1.1\r\nHost: evil.example:9324\r\n\r\n")
                let refused = try #require(try await connection.readResponse())
                #expect(refused.status == 403)
                #expect(refused.body.contains("--allowed-host evil.example"))
                try await connection.send("GET /ok HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\n\r\n")
                #expect(try await connection.readResponse()?.status == 200)
            }
        }
        #expect(responder.count == 1)
    }

    @Test func configuredHostsAndTheBindAddressAreAllowed() async throws {
        let configuration = HTTPServerConfiguration(host: "127.0.0.1", port: 0, allowedHosts: HTTPHostAllowList(["sqslite"]))
        try await withServer(configuration: configuration, responder: EchoResponder()) { port, _ in
            try await withConnection(port: port) { connection in
                for host in ["sqslite:9324", "localhost", "[::1]:\(port)", "127.0.0.1"] {
                    try await connection.send("GET / HTTP/1.1\r\nHost: \(host)\r\n\r\n")
                    #expect(try await connection.readResponse()?.status == 200, "\(host)")
                }
                try await connection.send("GET / HTTP/1.1\r\nHost: sqslite.evil.example\r\n\r\n")
                #expect(try await connection.readResponse()?.status == 403)
            }
        }
    }

    @Test func http11WithoutHostGets400AndHTTP10WithoutHostIsServed() async throws {
        let responder = EchoResponder()
        try await withServer(responder: responder) { port, _ in
            try await withConnection(port: port) { connection in
                try await connection.send("GET /old HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")
                #expect(try await connection.readResponse()?.status == 200)
                try await connection.send("GET /new HTTP/1.1\r\n\r\n")
                let response = try #require(try await connection.readResponse())
                #expect(response.status == 400)
                #expect(response.headers["connection"] == "close")
                #expect(try await connection.readResponse() == nil)
            }
            try await withConnection(port: port) { connection in
                try await connection.send("GET /two HTTP/1.1\r\nHost: localhost\r\nHost: evil.example\r\n\r\n")
                #expect(try await connection.readResponse()?.status == 400)
            }
        }
        #expect(responder.count == 1)
    }

    // MARK: - Helpers

    /// Writes `text` one byte every 50 ms, until done, failed or cancelled.
    private static func trickle(_ text: String, to outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>) -> Task<Void, Never> {
        Task {
            for byte in text.utf8 {
                guard (try? await outbound.write(ByteBuffer(bytes: [byte]))) != nil else { return }
                guard (try? await Task.sleep(for: .milliseconds(50))) != nil else { return }
            }
        }
    }
}

/// Sends `text`, shuts down the sending side (a half-close, as `nc -N` does), and reads every response
/// until the server closes the connection.
private func sendThenHalfClose(port: Int, _ text: String) async throws -> [RawResponse] {
    let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<ByteBuffer, ByteBuffer>(
                    wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
            }
        }
    return try await channel.executeThenClose { inbound, outbound in
        var connection = RawConnection(inbound: inbound.makeAsyncIterator(), outbound: outbound)
        try await connection.send(text)
        outbound.finish()
        var responses: [RawResponse] = []
        while let response = try await connection.readResponse() {
            responses.append(response)
        }
        return responses
    }
}

/// The messages a ``RecordingLogHandler`` kept.
private final class LoggedMessages: Sendable {
    private let messages = Mutex<[String]>([])

    var all: [String] { self.messages.withLock { $0 } }

    func append(_ message: String) {
        self.messages.withLock { $0.append(message) }
    }
}

/// Keeps each message logged, for tests that count them.
private struct RecordingLogHandler: LogHandler {
    let messages: LoggedMessages
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        self.messages.append(event.message.description)
    }
}
