import Logging

/// Echoes the lines functions write (their output, and Lambda's `START`/`END`/`REPORT` frame) to
/// sqslite's own log at `info`, each prefixed with the function's name, as `sam local` shows them:
/// `--function-output console`, the default.
struct FunctionOutputEcho: Sendable {
    private static let groupPrefix = "/aws/lambda/"
    let logger: Logger

    /// Writes `lines` of the log group `group` (`/aws/lambda/<function>`).
    func write(group: String, lines: [String]) {
        guard logger.logLevel <= .info else { return }
        let function = group.hasPrefix(Self.groupPrefix) ? group.dropFirst(Self.groupPrefix.count) : Substring(group)
        for line in lines {
            // One console line per log line: Lambda's own lines end with a newline.
            let text = line.hasSuffix("\n") ? line.dropLast() : Substring(line)
            logger.info("[\(function)] \(text)")
        }
    }
}
