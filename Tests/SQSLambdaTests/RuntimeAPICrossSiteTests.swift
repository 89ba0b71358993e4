import Foundation
import SQSEngine
import SQSLambda
import Testing

/// A web page must not reach a function's Runtime API (`127.0.0.1:<port>`) through the browser:
/// taking the next invocation or reporting an init error from another site is refused.
@Suite("Runtime API cross-site requests", .timeLimit(.minutes(1)))
struct RuntimeAPICrossSiteTests {
    /// A bash runtime that first tries what a web page could, then serves normally.
    static let bootstrap = #"""
        #!/bin/bash
        set -euo pipefail
        API="http://${AWS_LAMBDA_RUNTIME_API}/2018-06-01/runtime"
        echo "page next: $(curl -s -m 3 -o /dev/null -w '%{http_code}' -H 'Origin: https://evil.example' "$API/invocation/next")"
        echo "page init error: $(curl -s -m 3 -o /dev/null -w '%{http_code}' -H 'Sec-Fetch-Site: cross-site' -H 'Content-Type: text/plain' -d '{}' "$API/init/error")"
        while true; do
          HEADERS="$(mktemp)"
          EVENT=$(curl -sS -LD "$HEADERS" "$API/invocation/next")
          REQUEST_ID=$(grep -Fi Lambda-Runtime-Aws-Request-Id "$HEADERS" | tr -d '[:space:]' | cut -d: -f2)
          rm -f "$HEADERS"
          curl -sS -o /dev/null -d "$EVENT" "$API/invocation/$REQUEST_ID/response"
        done
        """#

    @Test func browserRequestsToTheRuntimeAPIAre403AndTheInvocationIsUntouched() async throws {
        let folder = try ProcessFixture.folder(["bootstrap": Self.bootstrap])
        let function = ProcessFunction(
            configuration: FunctionConfiguration(name: "bash", kind: .process, timeout: 10, handler: "function.handler"),
            command: ["./bootstrap"], workingDirectory: folder, baseEnvironment: [:], logger: ProcessFixture.silentLogger)
        let outcome = await function.invoke(ProcessFixture.invocation(#"{"hello":"world"}"#))
        #expect(outcome.logLines.contains("page next: 403"), "\(outcome.logLines)")
        #expect(outcome.logLines.contains("page init error: 403"), "\(outcome.logLines)")
        #expect(outcome.result == .success(Array(#"{"hello":"world"}"#.utf8)))
        await function.shutdown()
    }
}
