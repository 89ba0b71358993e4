import Foundation
import Logging
import SQSEngine
import SQSLambda
import Synchronization
import Testing

/// Real processes against the Runtime API: a custom runtime written with Python's standard library
/// (the protocol AWS's runtime clients speak). The event says what the runtime does.
@Suite("ProcessFunction", .timeLimit(.minutes(1)))
struct ProcessFunctionTests {
    static let runtime = #"""
        import json, os, signal, subprocess, sys, time, urllib.request, urllib.error
        if os.environ.get("IGNORE_SIGTERM"):
            signal.signal(signal.SIGTERM, signal.SIG_IGN)
        api = "http://" + os.environ["AWS_LAMBDA_RUNTIME_API"] + "/2018-06-01/runtime"
        def post(path, body, headers={}):
            req = urllib.request.Request(api + path, data=json.dumps(body).encode(), method="POST", headers=headers)
            try:
                with urllib.request.urlopen(req) as r:
                    return r.status
            except urllib.error.HTTPError as e:
                return e.code
        print("init", os.environ["AWS_LAMBDA_FUNCTION_NAME"], os.environ.get("_HANDLER"), os.environ.get("CUSTOM"))
        if os.environ.get("INIT_FAIL"):
            error = {"errorMessage": "cannot import", "errorType": os.environ["INIT_FAIL"]}
            post("/init/error", error if os.environ["INIT_FAIL"] != "-" else {"errorMessage": "no type"})
            sys.exit(1)
        second = None
        while True:
            with urllib.request.urlopen(api + "/invocation/next") as r:
                rid = r.headers["Lambda-Runtime-Aws-Request-Id"]
                names = ("Aws-Request-Id", "Deadline-Ms", "Invoked-Function-Arn", "Trace-Id")
                headers = {k: r.headers[k] for k in ["Lambda-Runtime-" + n for n in names] + ["Content-Type"]}
                event = json.loads(r.read())
            action = event.get("action")
            print("handling", action, event.get("tag", ""))
            print("to stderr", event.get("tag", ""), file=sys.stderr)
            if action == "exit":
                sys.exit(3)
            if action == "signal":
                os.kill(os.getpid(), event["signal"])
                time.sleep(5)
            if action == "closeoutput":
                devnull = os.open(os.devnull, os.O_WRONLY)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
            if action == "spawn":
                helper = subprocess.Popen(["sleep", "300"])
                print("helper", helper.pid, "of", os.getpid())
                time.sleep(event["seconds"])
            if action == "sleep":
                time.sleep(event["seconds"])
            if action == "error":
                post("/invocation/" + rid + "/error", {"errorType": "ValueError", "errorMessage": "bad input", "stackTrace": []})
                continue
            lambda_names = ("FUNCTION_NAME", "FUNCTION_VERSION", "FUNCTION_MEMORY_SIZE", "LOG_GROUP_NAME", "LOG_STREAM_NAME")
            names = ["AWS_LAMBDA_" + n for n in lambda_names]
            names += ["_HANDLER", "LAMBDA_TASK_ROOT", "TZ", "CUSTOM", "AWS_ENDPOINT_URL", "AWS_REGION", "PATH", "HOME"]
            env = {k: os.environ.get(k) for k in names}
            body = {"pid": os.getpid(), "headers": headers, "env": env, "event": event, "second": second}
            if action == "big":
                body["padding"] = "x" * 7_000_000
            if action == "probe":
                body["unknown"] = post("/invocation/not-a-request/response", {})
            status = post("/invocation/" + rid + "/response", body)
            if action == "probe":
                second = post("/invocation/" + rid + "/response", {})
        """#

    static func makeFunction(
        timeout: Int = 10, maxProcesses: Int = 4, environment: [String: String] = ["CUSTOM": "yes"], logSink: FunctionLogSink? = nil
    ) throws -> ProcessFunction {
        let folder = try ProcessFixture.folder(["runtime.py": runtime])
        let configuration = FunctionConfiguration(
            name: "echo", kind: .process, timeout: timeout, memorySize: 256, environment: environment, handler: "runtime.handler")
        return ProcessFunction(
            configuration: configuration, command: ["python3", "runtime.py"], workingDirectory: folder,
            baseEnvironment: ["AWS_ENDPOINT_URL": "http://127.0.0.1:1", "AWS_REGION": "us-east-1", "CUSTOM": "base"],
            maxProcesses: maxProcesses, logger: ProcessFixture.silentLogger, logSink: logSink)
    }

    static func invocation(_ event: String, id: String = UUID().uuidString.lowercased()) -> Invocation {
        ProcessFixture.invocation(event, id: id)
    }

    @Test func runsInvocationsWithTheRuntimeHeadersAndEnvironmentAndStaysWarm() async throws {
        let function = try Self.makeFunction()
        let first = await function.invoke(Self.invocation(#"{"action":"echo","n":1}"#, id: "req-1"))
        let fields = try ProcessFixture.json(first)
        guard case .object(let headers)? = fields["headers"], case .object(let env)? = fields["env"] else {
            Issue.record("no headers or env in \(fields)")
            return
        }
        #expect(headers["Lambda-Runtime-Aws-Request-Id"]?.stringValue == "req-1")
        #expect(headers["Lambda-Runtime-Deadline-Ms"]?.stringValue == "1700000000000")
        #expect(headers["Lambda-Runtime-Invoked-Function-Arn"]?.stringValue == "arn:aws:lambda:us-east-1:000000000000:function:echo")
        #expect(headers["Lambda-Runtime-Trace-Id"]?.stringValue == "Root=1-abc-def;Sampled=0")
        #expect(headers["Content-Type"]?.stringValue == "application/json")
        #expect(fields["event"] == .object(["action": .string("echo"), "n": .number(1)]))
        #expect(env["AWS_LAMBDA_FUNCTION_NAME"]?.stringValue == "echo")
        #expect(env["AWS_LAMBDA_FUNCTION_VERSION"]?.stringValue == "$LATEST")
        #expect(env["AWS_LAMBDA_FUNCTION_MEMORY_SIZE"]?.stringValue == "256")
        #expect(env["AWS_LAMBDA_LOG_GROUP_NAME"]?.stringValue == "/aws/lambda/echo")
        #expect(env["AWS_LAMBDA_LOG_STREAM_NAME"]?.stringValue?.contains("/[$LATEST]") == true)
        #expect(env["_HANDLER"]?.stringValue == "runtime.handler")
        #expect(env["LAMBDA_TASK_ROOT"]?.stringValue?.contains("sqslite-runtime-") == true)
        #expect(env["TZ"]?.stringValue == ":UTC")
        #expect(env["CUSTOM"]?.stringValue == "yes", "the function's environment wins over the base environment")
        #expect(env["AWS_ENDPOINT_URL"]?.stringValue == "http://127.0.0.1:1")
        #expect(env["AWS_REGION"]?.stringValue == "us-east-1")
        // (pyenv's shim puts its own folders in front.)
        #expect(env["PATH"]?.stringValue?.hasSuffix(ProcessInfo.processInfo.environment["PATH"] ?? "-") == true)

        let second = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        #expect(try ProcessFixture.json(second)["pid"] == fields["pid"], "the process stays warm")
        #expect(function.processCount == 1)
        await function.shutdown()
        #expect(function.processCount == 0)
    }

    @Test func anErrorResponseIsAFunctionError() async throws {
        let function = try Self.makeFunction()
        let outcome = await function.invoke(Self.invocation(#"{"action":"error"}"#))
        guard case .functionError(let type, let message, let payload) = outcome.result else {
            Issue.record("expected a function error, got \(outcome.result)")
            return
        }
        #expect(type == "ValueError")
        #expect(message == "bad input")
        #expect(String(decoding: payload, as: UTF8.self).contains(#""stackTrace""#))
        let next = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        #expect(!next.isFailure, "the process takes the next invocation")
        #expect(function.processCount == 1)
        await function.shutdown()
    }

    @Test func unknownRequestIDsAndSecondAnswersAreRefused() async throws {
        let function = try Self.makeFunction()
        let outcome = await function.invoke(Self.invocation(#"{"action":"probe"}"#))
        #expect(try ProcessFixture.json(outcome)["unknown"] == .number(400))
        let next = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        let second = try ProcessFixture.json(next)["second"]?.integerValue
        #expect(second == 403 || second == 400, "a second answer is refused (403 while the invocation winds down, then 400)")
        await function.shutdown()
    }

    @Test func aResponseOverSixMegabytesIsAnError() async throws {
        let function = try Self.makeFunction()
        let outcome = await function.invoke(Self.invocation(#"{"action":"big"}"#))
        guard case .functionError(let type, _, _) = outcome.result else {
            Issue.record("expected a function error, got \(outcome.result)")
            return
        }
        #expect(type == "Function.ResponseSizeTooLarge")
        #expect(!(await function.invoke(Self.invocation(#"{"action":"echo"}"#))).isFailure)
        await function.shutdown()
    }

    @Test func aProcessThatExitsFailsTheInvocationAndIsReplaced() async throws {
        let function = try Self.makeFunction()
        let warm = try ProcessFixture.json(await function.invoke(Self.invocation(#"{"action":"echo"}"#)))
        let crashed = await function.invoke(Self.invocation(#"{"action":"exit"}"#, id: "req-x"))
        let message = "RequestId: req-x Error: Runtime exited with error: exit status 3"
        #expect(crashed.result == .functionError(type: "Runtime.ExitError", message: message, payload: []))
        #expect(
            String(decoding: crashed.responsePayload, as: UTF8.self)
                == #"{"errorMessage":"RequestId: req-x Error: Runtime exited with error: exit status 3","errorType":"Runtime.ExitError"}"#)
        #expect(crashed.logLines.contains(message))
        #expect(crashed.logLines.last?.hasSuffix("\tStatus: error\tError Type: Runtime.ExitError") == true)
        let next = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        let fields = try ProcessFixture.json(next)
        #expect(fields["pid"] != nil && fields["pid"] != warm["pid"], "a new process took over")
        #expect(function.processCount == 1)
        await function.shutdown()
    }

    @Test func aTimeoutKillsTheProcessAndTheNextInvocationGetsANewOne() async throws {
        let function = try Self.makeFunction(timeout: 1)
        let warm = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        let firstPID = try ProcessFixture.json(warm)["pid"]?.integerValue
        let started = ContinuousClock.now
        let slow = await function.invoke(Self.invocation(#"{"action":"sleep","seconds":30}"#, id: "req-slow"))
        #expect(ContinuousClock.now - started < .seconds(3))
        #expect(slow.result == .timedOut(seconds: 1))
        #expect(slow.logLines.contains { $0.hasSuffix(" req-slow Task timed out after 1.00 seconds") })
        #expect(slow.logLines.last?.hasSuffix("\tStatus: timeout") == true)
        if let firstPID {
            // Gone soon: polled for up to 5 s, as a loaded machine may take a while to reap it.
            let giveUp = ContinuousClock.now + .seconds(5)
            while kill(Int32(firstPID), 0) == 0 && ContinuousClock.now < giveUp {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(kill(Int32(firstPID), 0) != 0, "the timed-out process is gone")
        }
        let after = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        #expect(try ProcessFixture.json(after)["pid"]?.integerValue != firstPID)
        #expect(function.processCount == 1)
        await function.shutdown()
    }

    @Test func aTimeoutKillsTheWholeProcessGroup() async throws {
        let function = try Self.makeFunction(timeout: 1)
        let outcome = await function.invoke(Self.invocation(#"{"action":"spawn","seconds":30}"#))
        #expect(outcome.result == .timedOut(seconds: 1))
        // "helper <pid> of <pid>": a grandchild the runtime started in its group.
        let words = outcome.logLines.first { $0.hasPrefix("helper ") }?.split(separator: " ") ?? []
        guard words.count == 4, let helper = Int32(words[1]), let process = Int32(words[3]) else {
            Issue.record("no helper line in \(outcome.logLines)")
            return
        }
        #expect(await ProcessFixture.waitUntil { ProcessFixture.members(ofGroup: process).isEmpty }, "the group is gone")
        #expect(!ProcessFixture.isRunning(helper), "the grandchild is gone")
        #expect(!ProcessFixture.isRunning(process), "the timed-out process is gone")
        await function.shutdown()
    }

    @Test func anExitBySignalIsReportedAsLambdaDoes() async throws {
        let function = try Self.makeFunction()
        for (signal, name) in [(SIGKILL, "killed"), (SIGABRT, "aborted")] {
            let outcome = await function.invoke(Self.invocation(#"{"action":"signal","signal":\#(signal)}"#, id: "req-\(name)"))
            let message = "RequestId: req-\(name) Error: Runtime exited with error: signal: \(name)"
            #expect(outcome.result == .functionError(type: "Runtime.ExitError", message: message, payload: []))
            #expect(outcome.logLines.contains(message))
        }
        #expect(!(await function.invoke(Self.invocation(#"{"action":"echo"}"#))).isFailure, "a new process takes over")
        await function.shutdown()
    }

    @Test func outputReachesTheLogWhileTheProcessRuns() async throws {
        let (lines, feed) = AsyncStream.makeStream(of: String.self)
        let function = try Self.makeFunction(logSink: { _, _, lines in
            for line in lines { feed.yield(line) }
        })
        let finished = Mutex(false)
        let invocation = Task {
            defer { finished.withLock { $0 = true } }
            return await function.invoke(Self.invocation(#"{"action":"sleep","seconds":30,"tag":"live"}"#, id: "req-live"))
        }
        var seen: Set<String> = []
        for await line in lines where ["handling sleep live", "to stderr live"].contains(line) {
            seen.insert(line)
            if seen.count == 2 { break }
        }
        #expect(!finished.withLock { $0 }, "stdout and stderr lines arrive while the invocation still runs")
        // Stopping it (SIGTERM to its group) ends the invocation with the process's exit.
        await function.shutdown()
        let outcome = await invocation.value
        let message = "RequestId: req-live Error: Runtime exited with error: signal: terminated"
        #expect(outcome.result == .functionError(type: "Runtime.ExitError", message: message, payload: []))
        #expect(outcome.logLines.contains("handling sleep live"))
    }

    @Test func aProcessThatClosesItsOutputStillRunsAndIsStillStopped() async throws {
        let function = try Self.makeFunction(environment: ["IGNORE_SIGTERM": "1"])
        let closed = try ProcessFixture.json(await function.invoke(Self.invocation(#"{"action":"closeoutput"}"#)))
        let pid = Int32(try #require(closed["pid"]?.integerValue))
        let next = await function.invoke(Self.invocation(#"{"action":"echo"}"#))
        #expect(try ProcessFixture.json(next)["pid"]?.integerValue == Int(pid), "it still runs and answers")
        // Its output has ended, so stopping it goes through subprocess's teardown of the task
        // holding `run` (SIGTERM, ignored here, then SIGKILL to its group).
        let started = ContinuousClock.now
        await function.shutdown()
        #expect(ContinuousClock.now - started < .seconds(8))
        #expect(!ProcessFixture.isRunning(pid))
    }

    @Test func concurrentInvocationsRunInSeparateProcessesUpToTheLimit() async throws {
        let function = try Self.makeFunction(maxProcesses: 2)
        async let a = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.5}"#))
        async let b = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.5}"#))
        async let c = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.1}"#))
        let pids = try await [a, b, c].map { try ProcessFixture.json($0)["pid"]?.integerValue }
        #expect(Set(pids.compactMap { $0 }).count == 2)
        #expect(function.processCount == 2)
        await function.shutdown()
    }

    @Test func logsAreCapturedPerInvocationWithStartEndAndReport() async throws {
        let function = try Self.makeFunction(maxProcesses: 2)
        async let a = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.3,"tag":"A"}"#, id: "req-a"))
        async let b = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.3,"tag":"B"}"#, id: "req-b"))
        let (logA, logB) = await (a.logLines, b.logLines)
        for (log, tag, other) in [(logA, "A", "B"), (logB, "B", "A")] {
            let id = "req-\(tag.lowercased())"
            #expect(log.first?.hasPrefix("INIT_START ") == true, "INIT_START and the init lines open the first invocation's log")
            #expect(log.dropFirst().first == "init echo runtime.handler yes")
            #expect(log.dropFirst(2).first == "START RequestId: \(id) Version: $LATEST")
            #expect(log.contains("handling sleep \(tag)"))
            #expect(log.contains("to stderr \(tag)"))
            #expect(!log.contains("handling sleep \(other)"))
            #expect(log.dropLast().last == "END RequestId: \(id)")
            let report = log.last?.split(separator: "\t").map(String.init) ?? []
            #expect(report.first == "REPORT RequestId: \(id)")
            #expect(report.count == 6, "Duration, Billed Duration, Memory Size, Max Memory Used, Init Duration: \(report)")
            #expect(report.dropFirst().first?.hasPrefix("Duration: ") == true)
            #expect(report.dropFirst().first?.hasSuffix(" ms") == true)
            #expect(report.contains("Memory Size: 256 MB"))
            #expect(report.last?.hasPrefix("Init Duration: ") == true)
        }
        let warm = await function.invoke(Self.invocation(#"{"action":"echo","tag":"C"}"#, id: "req-c"))
        #expect(warm.logLines.first == "START RequestId: req-c Version: $LATEST")
        #expect(warm.logLines.contains("handling echo C"))
        #expect(warm.logLines.count == 5)
        #expect(warm.logLines.last?.contains("Init Duration") == false)
        await function.shutdown()
    }

    @Test func anInitErrorFailsTheInvocation() async throws {
        for (given, expected) in [("Runtime.ImportModuleError", "Runtime.ImportModuleError"), ("-", "Runtime.InitError")] {
            let function = try Self.makeFunction(environment: ["CUSTOM": "yes", "INIT_FAIL": given])
            let outcome = await function.invoke(Self.invocation("{}"))
            guard case .functionError(let type, _, _) = outcome.result else {
                Issue.record("expected a function error, got \(outcome.result)")
                continue
            }
            #expect(type == expected)
            #expect(outcome.logLines.dropFirst().first == "init echo runtime.handler yes")
            await function.shutdown()
        }
    }

    @Test func shutdownStopsEveryProcessEvenOneIgnoringSIGTERM() async throws {
        let function = try Self.makeFunction(environment: ["IGNORE_SIGTERM": "1"])
        async let a = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.2}"#))
        async let b = function.invoke(Self.invocation(#"{"action":"sleep","seconds":0.2}"#))
        let pids = try await [a, b].compactMap { try ProcessFixture.json($0)["pid"]?.integerValue }
        #expect(pids.count == 2)
        let started = ContinuousClock.now
        await function.shutdown()
        #expect(ContinuousClock.now - started < .seconds(4))
        for pid in pids {
            #expect(kill(Int32(pid), 0) != 0, "process \(pid) is gone")
        }
        #expect(function.processCount == 0)
        let after = await function.invoke(Self.invocation("{}"))
        #expect(after.isFailure)
    }

    @Test func aCommandThatCannotStartIsAFunctionError() async throws {
        let function = ProcessFunction(
            configuration: FunctionConfiguration(name: "missing", kind: .process, timeout: 2),
            command: ["/nonexistent/bootstrap"], workingDirectory: nil, baseEnvironment: [:], logger: ProcessFixture.silentLogger)
        let outcome = await function.invoke(Self.invocation("{}"))
        guard case .functionError(let type, let message, _) = outcome.result else {
            Issue.record("expected a function error, got \(outcome.result)")
            return
        }
        #expect(type == "Runtime.ExitError")
        #expect(message.hasSuffix("Runtime exited with error: exit status 127"))
        await function.shutdown()
    }
}
