import Synchronization

/// The CloudWatch log stream of one execution environment (a function process, or one of the
/// environments sqslite keeps for in-process and HTTP-endpoint functions): every line written goes
/// to the ``FunctionLogSink`` at once, and is also kept until the invocation that owns it ends.
///
/// ``finish(_:)`` writes an invocation's last lines (`END`, `REPORT`) and hands back everything
/// written since the previous invocation ended: `INIT_START` and the init's lines for the first
/// one, then `START`, the function's lines, `END` and `REPORT`. So the log an Invoke with
/// `LogType: Tail` returns, the admin page's record and the stored stream are the same lines.
///
/// ## Sendable
/// The kept lines are behind a `Mutex`, and the sink is called under it, so lines reach the sink
/// in the order they were written.
final class EnvironmentLog: Sendable {
    /// The most lines kept for one invocation; older ones are dropped from the record (not from the stream).
    static let maxLines = 10_000

    /// `/aws/lambda/<function>`.
    let group: String
    /// `YYYY/MM/DD/[$LATEST]<32 hex>`.
    let streamName: String
    private let sink: FunctionLogSink?
    private let kept = Mutex<[String]>([])

    init(function: String, sink: FunctionLogSink?) {
        self.group = LambdaLogFormat.logGroupName(function)
        self.streamName = LambdaLogFormat.logStreamName()
        self.sink = sink
    }

    /// Writes lines to the stream.
    func write(_ lines: [String]) {
        guard !lines.isEmpty else { return }
        kept.withLock { kept in
            sink?(group, streamName, lines)
            kept += lines
            if kept.count > Self.maxLines {
                kept.removeFirst(kept.count - Self.maxLines)
            }
        }
    }

    /// Writes `lines` and returns every line written since the last `finish`.
    func finish(_ lines: [String]) -> [String] {
        kept.withLock { kept in
            if !lines.isEmpty { sink?(group, streamName, lines) }
            defer { kept = [] }
            return kept + lines
        }
    }
}
