import FoundationEssentials
import Logging
import SQSEngine
import SQSLambda
import Synchronization
import Testing

/// Real processes against the Runtime API: a custom runtime written in Python's standard library
/// (the same protocol AWS's runtime clients speak).
@Suite("ProcessFunction", .timeLimit(.minutes(1)))
struct ProcessFunctionTests {
    /// A custom runtime: loops over `next`; the event says what to do.
    static let runtime = #"""
        import json, os, sys, time, urllib.request
        api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
        print("init", os.environ["AWS_LAMBDA_FUNCTION_NAME"], os.environ.get("_HANDLER"), os.environ.get("CUSTOM"))
        while True:
            with urllib.request.urlopen(api + "/invocation/next") as r:
                rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                headers = {k: r.headers[k] for k in ("Lambda-Runtime-Deadline-Ms", "Lambda-Runtime-Invoked-Function-Arn", "Lambda-Runtime-Trace-Id")}
                event = json.loads(r.read())
            print("handling", event.get("action"))
            action = event.get("action")
            if action == "exit":
                sys.exit(3)
            if action == "sleep":
                time.sleep(event["seconds"])
            if action == "error":
                body, path = {"errorType": "ValueError", "errorMessage": "bad input"}, "/error"
            else:
                body, path = {"pid": os.getpid(), "headers": headers, "event": event}, "/response"
            req = urllib.request.Request(api + "/invocation/" + rid + path, data=json.dumps(body).encode(), method="POST")
            urllib.request.urlopen(req).read()
        """#

    static func makeFunction(timeout: Int = 10, maxProcesses: Int = 4) throws -> ProcessFunction {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("sqslite-runtime-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: folder + "/runtime.py", contents: Data(runtime.utf8)))
        let configuration = FunctionConfiguration(
            name: "echo", kind: .process, timeout: timeout, memorySize: 256, environment: ["CUSTOM": "yes"], handler: "runtime.handler")
        return ProcessFunction(
            configuration: configuration, command: ["python3", "runtime.py"], workingDirectory: folder,
            baseEnvironment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:1"], maxProcesses: maxProcesses,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    static func invocation(_ event: String, id: String = UUID().uuidString.lowercased()) -> Invocation {
        Invocation(
            requestID: id, payload: Array(event.utf8), deadlineMilliseconds: 1_700_000_000_000,
            functionArn: "arn:aws:lambda:us-east-1:000000000000:function:echo", traceID: "Root=1-abc-def;Sampled=0")
    }

    static func json(_ outcome: InvocationOutcome) throws -> [String: JSONValue] {
        guard case .success(let bytes) = outcome.result, case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: Data(bytes)) else {
            Issue.record("expected a JSON object, got \(outcome.result)")
            return [:]
        }
        return fields
    }

    @Test func runsInvocationsWithTheRuntimeHeadersAndStaysWarm() async throws {
        let function = try Self.makeFunction()
        let first = await function.invoke(Self.invocation(#"{"action":"echo","n":1}"#, id: "req-1"))
        let fields = try Self.json(first)
        guard case .object(let headers)? = fields["headers"] else { Issue.record("no headers"); return }
        #expect(headers["Lambda-Runtime-Deadline-Ms"]?.stringValue == "1700000000000")
        #expect(headers["Lambda-Runtime-Invoked-Function-Arn"]?.stringValue == "arn:aws:lambda:us-east-1:000000000000:function:echo")
        #expect(headers["Lambda-Runtime-Trace-Id"]?.stringValue == "Root=1-abc-def;Sampled=0")
        #expect(first.logLines.first == "init echo runtime.handler yes")
        #expect(first.logLines.contains("START RequestId: req-1 Version: $LATEST"))
        #expect(first.logLines.contains("handling echo"))
        #expect(first.logLines.contains("END RequestId: req-1"))
        #expect(first.logLines.last?.hasPrefix("REPORT RequestId: req-1\tDuration: ") == true)
        let second = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        #expect(try Self.json(second)["pid"] == fields["pid"])
        #expect(!second.logLines.contains { $0.hasPrefix("init") })
        #expect(function.processCount == 1)
        await function.shutdown()
    }

    @Test func anErrorResponseIsAFunctionError() async throws {
        let function = try Self.makeFunction()
        let outcome = await function.invoke(Self.invocation(#"{"action":"error"}"#))
        guard case .functionError(let type, let message, _) = outcome.result else {
            Issue.record("expected a function error, got \(outcome.result)")
            return
        }
        #expect(type == "ValueError")
        #expect(message == "bad input")
        await function.shutdown()
    }

    @Test func aProcessThatExitsFailsTheInvocationAndIsReplaced() async throws {
        let function = try Self.makeFunction()
        let crashed = await function.invoke(Self.invocation(#"{"action":"exit"}"#, id: "req-x"))
        #expect(
            crashed.result
                == .functionError(
                    type: "Runtime.ExitError", message: "RequestId: req-x Error: Runtime exited with error: exit status 3",
                    payload: Array(#"{"errorType":"Runtime.ExitError","errorMessage":"RequestId: req-x Error: Runtime exited with error: exit status 3"}"#.utf8)))
        let next = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        #expect(try Self.json(next)["event"] != nil)
        await function.shutdown()
    }

    @Test func aTimeoutKillsTheProcessAndTheNextInvocationGetsANewOne() async throws {
        let function = try Self.makeFunction(timeout: 1)
        let warm = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        let firstPID = try Self.json(warm)["pid"]
        let slow = await function.invoke(Self.invocation(#"{"action":"sleep","seconds":30}"#, id: "req-slow"))
        #expect(slow.result == .timedOut(seconds: 1))
        #expect(slow.logLines.contains { $0.hasSuffix("req-slow Task timed out after 1.00 seconds") })
        let after = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        #expect(try Self.json(after)["pid"] != firstPID)
        await function.shutdown()
    }

    @Test func concurrentInvocationsRunInSeparateProcesses() async throws {
        let function = try Self.makeFunction(maxProcesses: 2)
        async let a = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.5}"#))
        async let b = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.5}"#))
        async let c = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.1}"#))
        let pids = try await [a, b, c].map { try Self.json($0)["pid"] }
        #expect(Set(pids.compactMap { $0?.integerValue }).count == 2)
        #expect(function.processCount == 2)
        await function.shutdown()
        #expect(function.processCount == 0 || function.processCount == 2)
    }

    @Test func aCommandThatCannotStartIsAFunctionError() async throws {
        let function = ProcessFunction(
            configuration: FunctionConfiguration(name: "missing", kind: .process, timeout: 2),
            command: ["/nonexistent/bootstrap"], workingDirectory: nil, baseEnvironment: [:],
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let outcome = await function.invoke(Self.invocation("{}"))
        #expect(outcome.isFailure)
        await function.shutdown()
    }
}
