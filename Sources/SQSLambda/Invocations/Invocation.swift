/// One invocation of a function: the event and what the runtime tells the function about it.
public struct Invocation: Sendable {
    /// The request id (`Lambda-Runtime-Aws-Request-Id`), a UUID.
    public var requestID: String
    /// The event JSON.
    public var payload: [UInt8]
    /// The deadline, in epoch milliseconds (`Lambda-Runtime-Deadline-Ms`).
    public var deadlineMilliseconds: Int64
    /// The invoked function's ARN (`Lambda-Runtime-Invoked-Function-Arn`).
    public var functionArn: String
    /// The X-Ray trace header (`Lambda-Runtime-Trace-Id`).
    public var traceID: String
    /// Where the function's log lines go as it writes them (an in-process function's
    /// `context.log`); set by ``FunctionInvoker`` for functions that do not write their own log.
    public var logWriter: InvocationLogWriter?

    /// Creates an invocation.
    public init(requestID: String, payload: [UInt8], deadlineMilliseconds: Int64, functionArn: String, traceID: String) {
        self.requestID = requestID
        self.payload = payload
        self.deadlineMilliseconds = deadlineMilliseconds
        self.functionArn = functionArn
        self.traceID = traceID
    }
}
