import AsyncHTTPClient
import Logging
import SQSEngine
import Synchronization
import Testing

@testable import SQSLambda

/// The log streams ``FunctionInvoker`` writes for in-process and HTTP-endpoint functions.
@Suite("FunctionInvoker logs", .timeLimit(.minutes(1)))
struct FunctionInvokerLogTests {
    /// What the sink got, line by line, with the stream of each.
    final class Sink: Sendable {
        let lines = Mutex<[(stream: String, line: String)]>([])
        let arrivals: AsyncStream<String>
        private let continuation: AsyncStream<String>.Continuation

        init() {
            (arrivals, continuation) = AsyncStream.makeStream()
        }

        var function: FunctionLogSink {
            { [self] group, stream, lines in
                #expect(group == "/aws/lambda/fn")
                self.lines.withLock { $0 += lines.map { (stream, $0) } }
                for line in lines { continuation.yield(line) }
            }
        }

        var all: [(stream: String, line: String)] { lines.withLock { $0 } }
    }

    static func invoker(_ functions: FunctionRegistry, sink: Sink) -> FunctionInvoker {
        FunctionInvoker(
            functions: functions, log: InvocationLog(), account: "000000000000", region: "eu-west-1", clock: SystemClock(),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), logSink: sink.function)
    }

    @Test("an in-process function's context.log lines reach its stream while it runs, framed as Lambda frames them")
    func inProcessFraming() async throws {
        let sink = Sink()
        let (gate, open) = AsyncStream<Void>.makeStream()
        let function = InProcessFunction(name: "fn") { invocation, context in
            context.log("one")
            for await _ in gate { break }
            context.log("two")
            return invocation.payload
        }
        let invoker = Self.invoker(FunctionRegistry(), sink: sink)
        let running = Task { await invoker.invoke(function, payload: Array("{}".utf8)) }
        for await line in sink.arrivals where line == "one" { break }
        #expect(!sink.all.contains { $0.line.hasPrefix("END ") }, "the line is stored before the invocation ends")
        open.yield()
        let (first, record) = await running.value
        let lines = sink.all
        let requestID = record.requestID
        #expect(lines.map(\.line).prefix(5) == [
            "INIT_START Runtime Version: sqslite:inProcess.v1\tRuntime Version ARN: arn:aws:lambda:eu-west-1::runtime:sqslite-inProcess",
            "START RequestId: \(requestID) Version: $LATEST", "one", "two", "END RequestId: \(requestID)",
        ])
        let report = try #require(lines.last?.line).split(separator: "\t").map(String.init)
        #expect(report.first == "REPORT RequestId: \(requestID)")
        #expect(report.last?.hasPrefix("Init Duration: ") == true)
        #expect(first.logLines == lines.map(\.line), "the invocation's log is what its stream got")
        #expect(record.logLines == first.logLines)
        #expect(Set(lines.map(\.stream)).count == 1)
        #expect(lines[0].stream.contains("/[$LATEST]"))

        // The next invocation reuses the warm environment: same stream, no INIT_START, no Init Duration.
        open.yield()
        let (second, _) = await invoker.invoke(function, payload: Array("{}".utf8))
        #expect(second.logLines.first?.hasPrefix("START RequestId: ") == true)
        #expect(second.logLines.last?.contains("Init Duration") == false)
        #expect(Set(sink.all.map(\.stream)).count == 1)
        #expect(sink.all.map(\.line).suffix(second.logLines.count) == second.logLines)
        open.finish()
    }

    @Test("concurrent invocations use one environment each; a timed-out environment is not reused and its late lines are dropped")
    func environmentsAndTimeouts() async throws {
        let sink = Sink()
        // A 3 s timeout against 100 ms of work: a loaded machine must not time the warm ones out.
        let function = InProcessFunction(name: "fn", timeout: 3) { invocation, context in
            let text = String(decoding: invocation.payload, as: UTF8.self)
            if text == "\"hang\"" {
                try? await Task.sleep(for: .seconds(3.5))
                context.log("too late")
                return []
            }
            if text == "\"fail\"" { throw LambdaTestFailure() }
            try await Task.sleep(for: .milliseconds(100))
            return []
        }
        let invoker = Self.invoker(FunctionRegistry(), sink: sink)
        async let a = invoker.invoke(function, payload: Array("1".utf8))
        async let b = invoker.invoke(function, payload: Array("2".utf8))
        _ = await (a, b)
        #expect(Set(sink.all.map(\.stream)).count == 2)
        #expect(sink.all.filter { $0.line.hasPrefix("INIT_START ") }.count == 2)

        let (failed, _) = await invoker.invoke(function, payload: Array("\"fail\"".utf8))
        #expect(failed.logLines.contains { $0.hasSuffix("\tERROR\tInvoke Error \t{\"errorType\":\"LambdaTestFailure\",\"errorMessage\":\"LambdaTestFailure()\"}") })
        #expect(failed.logLines.first?.hasPrefix("START ") == true, "a warm environment")

        let (timedOut, record) = await invoker.invoke(function, payload: Array("\"hang\"".utf8))
        #expect(timedOut.logLines.contains { $0.hasSuffix(" \(record.requestID) Task timed out after 3.00 seconds") })
        #expect(timedOut.logLines.last?.hasSuffix("\tStatus: timeout") == true)
        try await Task.sleep(for: .seconds(1))
        #expect(!sink.all.contains { $0.line == "too late" })
        let streamsBefore = Set(sink.all.map(\.stream))
        // Both warm environments are idle again, so this one is warm; the timed-out one is gone.
        let (next, _) = await invoker.invoke(function, payload: Array("3".utf8))
        #expect(next.logLines.first?.hasPrefix("START ") == true)
        #expect(Set(sink.all.map(\.stream)) == streamsBefore)
    }

    @Test("an HTTP endpoint that refuses the connection gets Lambda's runtime error lines")
    func httpEndpoint() async throws {
        let sink = Sink()
        let configuration = FunctionConfiguration(name: "fn", kind: .url, timeout: 2, memorySize: 256)
        let (outcome, record) = try await HTTPClient.withHTTPClient(configuration: .lambdaEndpoints) { client in
            let function = try #require(HTTPEndpointFunction(configuration: configuration, url: "http://127.0.0.1:1/invoke", client: client))
            return await Self.invoker(FunctionRegistry(), sink: sink).invoke(function, payload: Array("{}".utf8))
        }
        #expect(outcome.logLines.first?.hasPrefix("INIT_START Runtime Version: sqslite:url.v1\t") == true)
        #expect(outcome.logLines.contains { $0.contains("\t\(record.requestID)\tERROR\tInvoke Error \t{\"errorType\":\"Runtime.ConnectionRefused\"") })
        let report = try #require(outcome.logLines.last)
        #expect(report.hasPrefix("REPORT RequestId: \(record.requestID)\t"))
        #expect(report.contains("\tMemory Size: 256 MB\t"))
        #expect(report.hasSuffix("\tStatus: error\tError Type: Runtime.ConnectionRefused"))
        #expect(sink.all.map(\.line) == outcome.logLines)
    }
}

struct LambdaTestFailure: Error {}
