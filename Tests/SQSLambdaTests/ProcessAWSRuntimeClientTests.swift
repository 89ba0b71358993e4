import Foundation
import SQSEngine
import SQSLambda
import Testing

/// AWS's Python runtime client (`awslambdaric`) against our Runtime API. It needs a Python with
/// awslambdaric installed, so it runs only when `SQSLITE_AWSLAMBDARIC_PYTHON` names one, e.g.
/// `python3 -m venv /tmp/ric && /tmp/ric/bin/pip install awslambdaric`, then
/// `SQSLITE_AWSLAMBDARIC_PYTHON=/tmp/ric/bin/python swift test --filter ProcessAWSRuntimeClient`.
@Suite(
    "ProcessFunction with awslambdaric", .timeLimit(.minutes(1)),
    .enabled(if: ProcessInfo.processInfo.environment["SQSLITE_AWSLAMBDARIC_PYTHON"] != nil))
struct ProcessAWSRuntimeClientTests {
    static let app = #"""
        import os, sys
        print("loading app")
        def handler(event, context):
            print("hi", context.aws_request_id, context.function_name, context.memory_limit_in_mb)
            print("remaining", context.get_remaining_time_in_millis() > 0)
            if event.get("fail"):
                raise ValueError("asked to fail")
            if event.get("exit"):
                os._exit(2)
            return {"ok": True, "event": event, "arn": context.invoked_function_arn}
        """#

    static func makeFunction(handler: String = "app.handler") throws -> ProcessFunction {
        let python = ProcessInfo.processInfo.environment["SQSLITE_AWSLAMBDARIC_PYTHON"] ?? "python3"
        let folder = try ProcessFixture.folder(["app.py": app])
        return ProcessFunction(
            configuration: FunctionConfiguration(name: "ric", kind: .process, timeout: 10, handler: handler),
            command: [python, "-m", "awslambdaric", handler], workingDirectory: folder,
            baseEnvironment: ["AWS_REGION": "us-east-1", "AWS_DEFAULT_REGION": "us-east-1"], logger: ProcessFixture.silentLogger)
    }

    static func invocation(_ event: String, id: String = UUID().uuidString.lowercased()) -> Invocation {
        Invocation(
            requestID: id, payload: Array(event.utf8),
            deadlineMilliseconds: Int64(Date().timeIntervalSince1970 * 1000) + 10_000,
            functionArn: "arn:aws:lambda:us-east-1:000000000000:function:ric", traceID: "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1")
    }

    @Test func awslambdaricRunsAHandler() async throws {
        let function = try Self.makeFunction()
        let outcome = await function.invoke(Self.invocation(#"{"n":1}"#, id: "ric-1"))
        let fields = try ProcessFixture.json(outcome)
        #expect(fields["ok"] == .bool(true))
        #expect(fields["event"] == .object(["n": .number(1)]))
        #expect(fields["arn"]?.stringValue == "arn:aws:lambda:us-east-1:000000000000:function:ric")
        #expect(outcome.logLines.contains("loading app"))
        #expect(outcome.logLines.contains("hi ric-1 ric 128"))
        #expect(outcome.logLines.contains("remaining True"))
        #expect(outcome.logLines.contains("START RequestId: ric-1 Version: $LATEST"))

        let failed = await function.invoke(Self.invocation(#"{"fail":true}"#))
        guard case .functionError(let type, let message, let payload) = failed.result else {
            Issue.record("expected a function error, got \(failed.result)")
            return
        }
        #expect(type == "ValueError")
        #expect(message == "asked to fail")
        #expect(String(decoding: payload, as: UTF8.self).contains("stackTrace"))

        let crashed = await function.invoke(Self.invocation(#"{"exit":true}"#))
        guard case .functionError(let crashType, _, _) = crashed.result else {
            Issue.record("expected a function error, got \(crashed.result)")
            return
        }
        #expect(crashType == "Runtime.ExitError")
        let again = await function.invoke(Self.invocation(#"{"n":2}"#))
        #expect(try ProcessFixture.json(again)["ok"] == .bool(true))
        await function.shutdown()
    }

    @Test func aMissingHandlerModuleIsAnInitError() async throws {
        let function = try Self.makeFunction(handler: "nothere.handler")
        let outcome = await function.invoke(Self.invocation("{}"))
        guard case .functionError(let type, let message, _) = outcome.result else {
            Issue.record("expected a function error, got \(outcome.result)")
            return
        }
        #expect(type == "Runtime.ImportModuleError")
        #expect(message.contains("nothere"))
        await function.shutdown()
    }
}
