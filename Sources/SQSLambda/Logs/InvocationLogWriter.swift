import Synchronization

/// Where an in-process function's `context.log` lines go while its invocation runs: the execution
/// environment's log stream, until the invocation ends (lines of a closure still running after a
/// timeout are dropped, as Lambda drops the output of an environment it resets).
///
/// ## Sendable
/// The open flag is behind a `Mutex`; ``EnvironmentLog`` is `Sendable`.
public final class InvocationLogWriter: Sendable {
    private let log: EnvironmentLog
    private let open = Mutex(true)

    init(log: EnvironmentLog) {
        self.log = log
    }

    /// Writes lines to the invocation's log stream, unless the invocation has ended.
    public func write(_ lines: [String]) {
        open.withLock { open in
            if open { log.write(lines) }
        }
    }

    /// Ends the invocation: later lines are dropped.
    func close() {
        open.withLock { $0 = false }
    }
}
