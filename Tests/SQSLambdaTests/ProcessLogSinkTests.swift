import Foundation
import Logging
import Synchronization
import Testing

@testable import SQSLambda

@Suite("ProcessLogCollector sink")
struct ProcessLogSinkTests {
    /// What the sink got, call by call.
    final class Received: Sendable {
        let calls = Mutex<[(group: String, stream: String, lines: [String])]>([])
    }

    @Test("INIT_START, init lines, START, the invocation's lines and the finishing lines reach the sink in order")
    func framing() async throws {
        let received = Received()
        let collector = ProcessLogCollector(
            logger: Logger(label: "test"), function: "fn",
            sink: { group, stream, lines in received.calls.withLock { $0.append((group, stream, lines)) } })
        let pipe = Pipe()
        collector.beginInit(functionArn: "arn:aws:lambda:eu-west-1:000000000000:function:fn")
        collector.attach(pipe.fileHandleForReading, as: .standardOutput)
        pipe.fileHandleForWriting.write(Data("init\n".utf8))
        await collector.settle()
        collector.beginInvocation(requestID: "r1")
        pipe.fileHandleForWriting.write(Data("hello\n".utf8))
        await collector.settle()
        let first = collector.finish(requestID: "r1", lines: ["END RequestId: r1"])
        // An invocation that never reached the process still gets its START line.
        let second = collector.finish(requestID: "r2", lines: ["END RequestId: r2"])
        let calls = received.calls.withLock { $0 }
        #expect(calls.allSatisfy { $0.group == "/aws/lambda/fn" && $0.stream == collector.streamName })
        let initStart = "INIT_START Runtime Version: sqslite:process.v1\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:sqslite-process"
        #expect(
            calls.flatMap(\.lines) == [
                initStart, "init", "START RequestId: r1 Version: $LATEST", "hello", "END RequestId: r1",
                "START RequestId: r2 Version: $LATEST", "END RequestId: r2",
            ])
        // Each invocation's log is exactly what went to the stream for it.
        #expect(first == Array(calls.flatMap(\.lines).prefix(5)))
        #expect(second == Array(calls.flatMap(\.lines).suffix(2)))
        #expect(collector.streamName.contains("/[$LATEST]"))
        try pipe.fileHandleForWriting.close()
    }
}
