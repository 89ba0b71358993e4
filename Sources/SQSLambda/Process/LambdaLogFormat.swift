import FoundationEssentials
import SQSEngine

/// The lines Lambda adds around a function's own output in its CloudWatch log stream, and the
/// wording of its runtime errors.
///
/// ```text
/// START RequestId: 8f507cfc-… Version: $LATEST
/// …what the function printed…
/// END RequestId: 8f507cfc-…
/// REPORT RequestId: 8f507cfc-…	Duration: 12.34 ms	Billed Duration: 13 ms	Memory Size: 128 MB	Max Memory Used: 38 MB	Init Duration: 95.10 ms
/// ```
enum LambdaLogFormat {
    /// `INIT_START Runtime Version: sqslite:process.v1	Runtime Version ARN: arn:aws:lambda:us-east-1::runtime:sqslite-process`:
    /// the first line of an execution environment, in Lambda's shape, naming the kind of function
    /// (`process`, `inProcess`, `url`) as the runtime.
    static func initStart(kind: FunctionConfiguration.Kind, functionArn: String) -> String {
        let region = functionArn.split(separator: ":", omittingEmptySubsequences: false).dropFirst(3).first ?? "us-east-1"
        return "INIT_START Runtime Version: sqslite:\(kind.rawValue).v1\tRuntime Version ARN: arn:aws:lambda:\(region)::runtime:sqslite-\(kind.rawValue)"
    }

    /// `START RequestId: <id> Version: $LATEST`
    static func start(_ requestID: String) -> String {
        "START RequestId: \(requestID) Version: $LATEST"
    }

    /// `END RequestId: <id>`
    static func end(_ requestID: String) -> String {
        "END RequestId: \(requestID)"
    }

    /// The tab-separated `REPORT` line. `initDuration` only on a cold start; `status` (`timeout`,
    /// `error`) and `errorType` only when the invocation failed in the runtime.
    static func report(
        _ requestID: String, duration: Duration, memorySize: Int, maxMemoryUsed: Int, initDuration: Duration?,
        status: String? = nil, errorType: String? = nil
    ) -> String {
        let milliseconds = self.milliseconds(duration)
        var fields = [
            "REPORT RequestId: \(requestID)",
            "Duration: \(twoDecimals(milliseconds)) ms",
            "Billed Duration: \(Int(milliseconds.rounded(.up))) ms",
            "Memory Size: \(memorySize) MB",
            "Max Memory Used: \(maxMemoryUsed) MB",
        ]
        if let initDuration {
            fields.append("Init Duration: \(twoDecimals(self.milliseconds(initDuration))) ms")
        }
        if let status {
            fields.append("Status: \(status)")
        }
        if let errorType {
            fields.append("Error Type: \(errorType)")
        }
        return fields.joined(separator: "\t")
    }

    /// `2024-05-01T10:00:00.123Z <id> Task timed out after 3.00 seconds`
    static func timedOut(_ requestID: String, seconds: Int) -> String {
        "\(timestamp()) \(requestID) Task timed out after \(seconds).00 seconds"
    }

    /// The error message of `Runtime.ExitError`: `RequestId: <id> Error: Runtime exited with error: exit status 1`.
    static func exitErrorMessage(_ requestID: String, exit: ProcessExit) -> String {
        "RequestId: \(requestID) Error: Runtime exited with error: \(exit)"
    }

    /// `<time>\t<id>\tERROR\tInvoke Error \t{"errorType":…,"errorMessage":…}`: how a runtime logs the
    /// error of an in-process or HTTP-endpoint function (the Node.js runtime's shape).
    static func invokeError(_ requestID: String, type: String, message: String) -> String {
        "\(timestamp())\t\(requestID)\tERROR\tInvoke Error \t{\"errorType\":\(jsonQuoted(type)),\"errorMessage\":\(jsonQuoted(message))}"
    }

    /// The log group of a function: `/aws/lambda/<function>`.
    static func logGroupName(_ function: String) -> String {
        "/aws/lambda/\(function)"
    }

    /// A log stream name as Lambda makes them: `2024/05/01/[$LATEST]<32 hex digits>`.
    static func logStreamName() -> String {
        let day = timestamp().prefix(10).replacing("-", with: "/")
        let suffix = RandomID.uuidString().replacing("-", with: "")
        return "\(day)/[$LATEST]\(suffix)"
    }

    /// A process's peak resident memory (`VmHWM` of `/proc/<process>/status`), in MB; 0 when unknown.
    /// - Parameter process: A pid, or `self`.
    static func peakMemoryMB(ofProcess process: String) -> Int {
        guard let text = try? String(contentsOfFile: "/proc/\(process)/status", encoding: .utf8),
            let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return max(1, kilobytes / 1024)
    }

    /// Now, as ISO 8601 UTC with milliseconds.
    static func timestamp() -> String {
        Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }

    static func milliseconds(_ duration: Duration) -> Double {
        let (seconds, attoseconds) = duration.components
        return Double(seconds) * 1000 + Double(attoseconds) / 1e15
    }

    /// `12.3456` → `"12.35"`, without Foundation's `String(format:)`.
    static func twoDecimals(_ value: Double) -> String {
        let hundredths = Int((max(0, value) * 100).rounded())
        let fraction = hundredths % 100
        return "\(hundredths / 100).\(fraction < 10 ? "0" : "")\(fraction)"
    }
}
