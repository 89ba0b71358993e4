import Logging
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

@testable import SQSLambda

@Suite("ProcessLogCollector sink", .timeLimit(.minutes(1)))
struct ProcessLogSinkTests {
    /// What the sink got, call by call, and each line as it arrives.
    final class Received: Sendable {
        let calls = Mutex<[(group: String, stream: String, lines: [String])]>([])
        let lines: AsyncStream<String>
        private let feed: AsyncStream<String>.Continuation

        init() {
            (lines, feed) = AsyncStream.makeStream(of: String.self)
        }

        func sink(group: String, stream: String, lines: [String]) {
            calls.withLock { $0.append((group, stream, lines)) }
            for line in lines { feed.yield(line) }
        }

        /// Waits until the sink has got `line`.
        func waitFor(_ line: String) async {
            for await received in lines where received == line { return }
        }
    }

    @Test("INIT_START, init lines, START, the invocation's lines and the finishing lines reach the sink in order")
    func framing() async throws {
        let received = Received()
        let collector = ProcessLogCollector(logger: Logger(label: "test"), function: "fn", sink: received.sink)
        let (output, write) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        collector.beginInit(functionArn: "arn:aws:lambda:eu-west-1:000000000000:function:fn")
        let reader = Task { await collector.read(output, from: .standardOutput) }
        write.yield(Array("in".utf8))
        write.yield(Array("it\r\n".utf8))
        await received.waitFor("init")
        collector.beginInvocation(requestID: "r1")
        write.yield(Array("hello\nunterminated".utf8))
        await received.waitFor("hello")
        let first = collector.finish(requestID: "r1", lines: ["END RequestId: r1"])
        // An invocation that never reached the process still gets its START line.
        let second = collector.finish(requestID: "r2", lines: ["END RequestId: r2"])
        // At the end of the stream, its unterminated rest is a line.
        write.finish()
        await reader.value
        let calls = received.calls.withLock { $0 }
        #expect(calls.allSatisfy { $0.group == "/aws/lambda/fn" && $0.stream == collector.streamName })
        let initStart = "INIT_START Runtime Version: sqslite:process.v1\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:sqslite-process"
        #expect(
            calls.flatMap(\.lines) == [
                initStart, "init", "START RequestId: r1 Version: $LATEST", "hello", "END RequestId: r1",
                "START RequestId: r2 Version: $LATEST", "END RequestId: r2", "unterminated",
            ])
        // Each invocation's log is exactly what went to the stream for it.
        #expect(first == Array(calls.flatMap(\.lines).prefix(5)))
        #expect(second == Array(calls.flatMap(\.lines).dropFirst(5).prefix(2)))
        #expect(collector.streamName.contains("/[$LATEST]"))
    }

    @Test("settle waits until the reader has filed what waited in the pipe")
    func settleWaitsForTheReader() async throws {
        var descriptors: [Int32] = [-1, -1]
        try #require(pipe(&descriptors) == 0)
        defer { descriptors.forEach { _ = close($0) } }
        let received = Received()
        let collector = ProcessLogCollector(logger: Logger(label: "test"), sink: received.sink)
        // Our own pipe stands for the process's stdout.
        collector.probe(processID: getpid(), descriptors: [descriptors[1], -1])
        let (output, reader) = AsyncThrowingStream.makeStream(of: [UInt8].self)
        let reading = Task { await collector.read(output, from: .standardOutput) }
        #expect(write(descriptors[1], "late\n", 5) == 5)
        let settled = Mutex(false)
        let settling = Task {
            await collector.settle()
            settled.withLock { $0 = true }
        }
        while collector.settling == 0 { await Task.yield() }
        #expect(!settled.withLock { $0 }, "five bytes wait in the pipe")
        // The reader takes them from the pipe and files them.
        var buffer = [UInt8](repeating: 0, count: 16)
        let count = read(descriptors[0], &buffer, buffer.count)
        reader.yield(Array(buffer.prefix(max(0, count))))
        await settling.value
        #expect(received.calls.withLock { $0.flatMap(\.lines) } == ["late"])
        reader.finish()
        await reading.value
    }
}
