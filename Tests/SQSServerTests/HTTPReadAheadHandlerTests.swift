import NIOCore
import NIOEmbedded
import NIOHTTP1
import Synchronization
import Testing

@testable import SQSHTTP

/// While a response is prepared, the socket is read once more (it stays watched), and no further.
@Suite("HTTPReadAheadHandler", .timeLimit(.minutes(1)))
struct HTTPReadAheadHandlerTests {
    /// Counts the reads that reach the socket end of the pipeline.
    final class ReadCounter: ChannelOutboundHandler, Sendable {
        typealias OutboundIn = NIOAny
        let reads = Atomic(0)

        func read(context: ChannelHandlerContext) {
            reads.add(1, ordering: .relaxed)
            context.read()
        }
    }

    /// The server's connection pipeline on a testing channel, bytes in and out, with `counter` next to the socket.
    private func makeChannel(responder: some HTTPResponder, counter: ReadCounter, readAhead: Bool) async throws -> NIOAsyncTestingChannel {
        let channel = try await NIOAsyncTestingChannel { channel in
            let pipeline = channel.pipeline.syncOperations
            try pipeline.addHandler(counter)
            if readAhead { try pipeline.addHandler(HTTPReadAheadHandler()) }
            try pipeline.configureHTTPServerPipeline(withPipeliningAssistance: true, withErrorHandling: false)
            try pipeline.addHandler(
                HTTPServerHandler(responder: responder, maxRequestBodySize: 1024, oversizeResponse: tooBig, logger: testLogger, respondsOnEventLoop: false))
        }
        try await channel.connect(to: SocketAddress(ipAddress: "127.0.0.1", port: 9)).get()
        return channel
    }

    /// Sends a request whose response waits, then does what NIO's auto-read does after each read:
    /// returns the reads that reached the socket while the response was pending.
    private func readsWhileAnswering(readAhead: Bool) async throws -> (afterRequest: Int, afterPipelined: Int, channel: NIOAsyncTestingChannel, responder: GatedResponder) {
        let responder = GatedResponder()
        let counter = ReadCounter()
        let channel = try await makeChannel(responder: responder, counter: counter, readAhead: readAhead)
        let before = counter.reads.load(ordering: .relaxed)
        try await channel.writeInbound(ByteBuffer(string: "POST /slow HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\n\r\nA"))
        #expect(await responder.started.next() == "/slow")
        channel.read()
        let afterRequest = counter.reads.load(ordering: .relaxed) - before
        // A pipelined request arrives while the first is answered: it is buffered, and not read past.
        try await channel.writeInbound(ByteBuffer(string: "POST /fast HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1\r\n\r\nB"))
        channel.read()
        let afterPipelined = counter.reads.load(ordering: .relaxed) - before
        return (afterRequest, afterPipelined, channel, responder)
    }

    @Test("NIO's pipeline handler alone holds every read back while a response is prepared")
    func withoutItNothingIsRead() async throws {
        let (afterRequest, afterPipelined, channel, responder) = try await readsWhileAnswering(readAhead: false)
        #expect(afterRequest == 0)
        #expect(afterPipelined == 0)
        responder.gate.open()
        try await channel.close()
    }

    @Test("one read is asked for when a request arrives, none more for pipelined data, and pipelined requests are answered in order")
    func readsOnceAheadAndNoFurther() async throws {
        let (afterRequest, afterPipelined, channel, responder) = try await readsWhileAnswering(readAhead: true)
        #expect(afterRequest == 1)
        #expect(afterPipelined == 1)

        responder.gate.open()
        var received = ""
        while !(received.contains("POST /slow A") && received.contains("POST /fast B")) {
            var part = try await channel.waitForOutboundWrite(as: ByteBuffer.self)
            received += part.readString(length: part.readableBytes) ?? ""
        }
        let slow = try #require(received.firstRange(of: "POST /slow A"))
        let fast = try #require(received.firstRange(of: "POST /fast B"))
        #expect(slow.lowerBound < fast.lowerBound)
        try await channel.close()
    }
}
