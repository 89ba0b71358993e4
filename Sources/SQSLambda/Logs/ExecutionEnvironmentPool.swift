import Synchronization

/// The execution environments of the functions that have no process of their own (in-process
/// closures and HTTP endpoints): each is a log stream of `/aws/lambda/<function>`, used by one
/// invocation at a time and reused by the next, as Lambda reuses a warm environment.
///
/// An invocation takes an idle environment of its function, or a new one (whose stream opens with
/// `INIT_START`), and gives it back when it ends; an environment whose invocation timed out is not
/// reused (Lambda resets it), so the next invocation starts a new stream.
///
/// ## Sendable
/// The idle lists are behind a `Mutex`.
final class ExecutionEnvironmentPool: Sendable {
    /// An environment lent to one invocation.
    struct Environment: Sendable {
        let log: EnvironmentLog
        /// When it was created: the start of its "init".
        let createdAt: ContinuousClock.Instant
        /// Whether this invocation is the environment's first (a cold start).
        let isNew: Bool
    }

    private let idle = Mutex<[String: [Environment]]>([:])

    /// An idle environment of `function`, or a new one writing to `sink`.
    func acquire(function: String, sink: FunctionLogSink?) -> Environment {
        if let environment = idle.withLock({ $0[function]?.popLast() }) {
            return Environment(log: environment.log, createdAt: environment.createdAt, isNew: false)
        }
        return Environment(log: EnvironmentLog(function: function, sink: sink), createdAt: .now, isNew: true)
    }

    /// Gives `environment` back for the next invocation of `function`, unless it must not be reused.
    func release(_ environment: Environment, function: String, reusable: Bool) {
        guard reusable else { return }
        idle.withLock { $0[function, default: []].append(environment) }
    }
}
