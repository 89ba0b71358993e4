/// A function sqslite can invoke: an in-process Swift closure, a local process speaking the Lambda
/// Runtime API, or an HTTP endpoint.
///
/// Implementations must be safe to invoke concurrently; each decides how many invocations really
/// run at once (a process function runs one per process).
public protocol LambdaFunction: Sendable {
    /// The function's settings, as ListFunctions and GetFunction report them.
    var configuration: FunctionConfiguration { get }

    /// Runs one invocation to its end (success, function error or timeout). Never throws: every
    /// failure is an ``InvocationOutcome``.
    func invoke(_ invocation: Invocation) async -> InvocationOutcome

    /// Stops whatever the function keeps running (processes, connections). Called once at shutdown.
    func shutdown() async

    /// Whether the function writes its own log streams of `/aws/lambda/<function>` (a process
    /// function writes one per process). For the others, ``FunctionInvoker`` keeps execution
    /// environments and writes their `INIT_START`, `START`, `END` and `REPORT` lines. `false` by default.
    var writesOwnLog: Bool { get }
}

extension LambdaFunction {
    public var writesOwnLog: Bool { false }

    /// Nothing to stop by default.
    public func shutdown() async {}
}
