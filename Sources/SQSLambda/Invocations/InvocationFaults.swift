/// How an injected invocation fault ends the invocation.
public enum InvocationFaultKind: String, Sendable, Codable, CaseIterable {
    /// A function error (`errorType` `InjectedFault`).
    case error
    /// A timeout (`Sandbox.Timedout`, as after the function's timeout), reported at once.
    case timeout

    /// The outcome a faulted invocation gets instead of running the function.
    func outcome(timeout: Int) -> InvocationOutcome {
        switch self {
        case .error:
            return InvocationOutcome(
                result: .functionError(type: "InjectedFault", message: "This invocation was failed by a sqslite fault rule.", payload: []),
                logLines: ["sqslite: this invocation was failed by a fault rule; the function did not run."])
        case .timeout:
            return InvocationOutcome(
                result: .timedOut(seconds: timeout),
                logLines: ["sqslite: this invocation was timed out by a fault rule; the function did not run."])
        }
    }
}

/// Injected function failures for test suites ("the next N invocations of this function fail or
/// time out"), consulted by ``FunctionInvoker`` before it runs a function.
///
/// A faulted invocation never reaches the function. It is recorded like any other (the invocation
/// log, metrics, the mapping's batch handling), so a queue behind an event-source mapping sees a
/// failed batch: its messages come back after their visibility timeout and move to the DLQ.
public protocol InvocationFaults: Sendable {
    /// Takes the fault the next invocation of `function` gets, if any (counting it as used).
    func takeInvocationFault(function: String) -> InvocationFaultKind?
}
