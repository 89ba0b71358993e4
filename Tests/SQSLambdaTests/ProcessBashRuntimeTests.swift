import Foundation
import SQSEngine
import SQSLambda
import Testing

/// A `bootstrap` custom runtime in bash and curl, the way AWS's custom-runtime tutorial writes one.
@Suite("ProcessFunction with a bash bootstrap", .timeLimit(.minutes(1)))
struct ProcessBashRuntimeTests {
    static let bootstrap = #"""
        #!/bin/bash
        set -euo pipefail
        API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
        echo "bootstrap ready for ${_HANDLER}"
        while true; do
          HEADERS="$(mktemp)"
          EVENT=$(curl -sS -LD "$HEADERS" "$API/invocation/next")
          REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
          ARN=$(grep -Fi Lambda-Runtime-Invoked-Function-Arn "$HEADERS" | tr -d '[:space:]' | cut -d: -f2-)
          rm -f "$HEADERS"
          echo "got $EVENT"
          if [[ "$EVENT" == *fail* ]]; then
            curl -sS -o /dev/null -H "Lambda-Runtime-Function-Error-Type: Bash.Failure" \
              -d '{"errorMessage":"asked to fail","errorType":"Bash.Failure","stackTrace":[]}' "$API/invocation/$REQUEST_ID/error"
          else
            curl -sS -o /dev/null -d "{\"requestId\":\"$REQUEST_ID\",\"arn\":\"$ARN\",\"event\":$EVENT}" "$API/invocation/$REQUEST_ID/response"
          fi
        done
        """#

    @Test func aBashBootstrapAnswersAndFails() async throws {
        let folder = try ProcessFixture.folder(["bootstrap": Self.bootstrap])
        let function = ProcessFunction(
            configuration: FunctionConfiguration(name: "bash", kind: .process, timeout: 5, handler: "function.handler"),
            command: ["./bootstrap"], workingDirectory: folder, baseEnvironment: [:], logger: ProcessFixture.silentLogger)
        let outcome = await function.invoke(ProcessFixture.invocation(#"{"hello":"world"}"#, id: "bash-1"))
        let fields = try ProcessFixture.json(outcome)
        #expect(fields["requestId"]?.stringValue == "bash-1")
        #expect(fields["arn"]?.stringValue == "arn:aws:lambda:us-east-1:000000000000:function:echo")
        #expect(fields["event"] == .object(["hello": .string("world")]))
        #expect(outcome.logLines.first?.hasPrefix("INIT_START Runtime Version: sqslite:process.v1\t") == true)
        #expect(outcome.logLines.dropFirst().first == "bootstrap ready for function.handler")
        #expect(outcome.logLines.contains(#"got {"hello":"world"}"#))

        let failed = await function.invoke(ProcessFixture.invocation(#"{"please":"fail"}"#))
        guard case .functionError(let type, let message, _) = failed.result else {
            Issue.record("expected a function error, got \(failed.result)")
            return
        }
        #expect(type == "Bash.Failure")
        #expect(message == "asked to fail")
        #expect(function.processCount == 1)
        await function.shutdown()
    }
}
