/// Where a process function's CloudWatch-style log lines go as they arrive: the server passes one
/// that appends to the log group `group` (`/aws/lambda/<function>`), stream `stream` (one per
/// process, `YYYY/MM/DD/[$LATEST]<32 hex>`).
///
/// Called from the tasks that read the processes' output and from invocation tasks; it must not block.
public typealias FunctionLogSink = @Sendable (_ group: String, _ stream: String, _ lines: [String]) -> Void
