import Synchronization

/// The asynchronous (`X-Amz-Invocation-Type: Event`) invocations waiting to run: bounded, and
/// run a few at a time per function so that synchronous invocations are never stuck behind them.
///
/// - At most ``depth`` invocations wait (not counting the running ones); ``enqueue(_:payload:)``
///   refuses more, and the Invoke API answers 429 `TooManyRequestsException`, as Lambda does when
///   it throttles.
/// - Each function runs at most ``concurrency`` queued invocations at once, in the order they
///   came. A function that runs one invocation per process (``ProcessFunction``) waits for a free
///   process; with only a couple of its processes taken by queued events, a synchronous Invoke
///   waits for one of those at most, never for the whole queue.
///
/// ## Sendable
/// All state is behind a `Mutex`; the workers are unstructured tasks that end when their
/// function's queue is empty.
public final class AsyncInvocationQueue: Sendable {
    /// The default of ``depth`` (`--async-invoke-queue-depth`).
    public static let defaultDepth = 1000
    /// The default of ``concurrency``.
    public static let defaultConcurrency = 2

    /// The most invocations waiting at once, across functions.
    public let depth: Int
    /// The most queued invocations of one function running at once.
    public let concurrency: Int

    private struct Job: Sendable {
        var function: any LambdaFunction
        var payload: [UInt8]
    }

    private struct State {
        var waiting: [String: [Job]] = [:]
        var workers: [String: Int] = [:]
        var count = 0
    }

    private let invoker: FunctionInvoker
    private let state = Mutex(State())

    /// Creates an empty queue whose invocations go through `invoker`.
    /// - Parameters:
    ///   - depth: The most waiting invocations (at least 1).
    ///   - concurrency: The most running invocations per function (at least 1).
    public init(
        invoker: FunctionInvoker, depth: Int = AsyncInvocationQueue.defaultDepth, concurrency: Int = AsyncInvocationQueue.defaultConcurrency
    ) {
        self.invoker = invoker
        self.depth = max(1, depth)
        self.concurrency = max(1, concurrency)
    }

    /// The number of invocations waiting to start.
    public var waitingCount: Int {
        state.withLock { $0.count }
    }

    /// Queues one invocation; `false` when ``depth`` invocations already wait.
    public func enqueue(_ function: any LambdaFunction, payload: [UInt8]) -> Bool {
        let name = function.configuration.name
        let concurrency = self.concurrency
        let depth = self.depth
        let (accepted, startWorker) = state.withLock { state -> (Bool, Bool) in
            guard state.count < depth else { return (false, false) }
            state.waiting[name, default: []].append(Job(function: function, payload: payload))
            state.count += 1
            guard state.workers[name, default: 0] < concurrency else { return (true, false) }
            state.workers[name, default: 0] += 1
            return (true, true)
        }
        if startWorker {
            Task { await self.drain(name) }
        }
        return accepted
    }

    /// Runs `name`'s queued invocations one after another until none is left.
    private func drain(_ name: String) async {
        while let job = next(name) {
            _ = await invoker.invoke(job.function, payload: job.payload)
        }
    }

    /// The next waiting invocation of `name`; `nil` retires the calling worker in the same step.
    private func next(_ name: String) -> Job? {
        state.withLock { state in
            guard state.waiting[name]?.isEmpty == false, let job = state.waiting[name]?.removeFirst() else {
                state.waiting[name] = nil
                state.workers[name, default: 1] -= 1
                if state.workers[name] == 0 { state.workers[name] = nil }
                return nil
            }
            state.count -= 1
            return job
        }
    }
}
