/// Timeouts written as task groups: the operations run as children of one group, the first to
/// return wins, and the others are cancelled.
///
/// ```swift
/// let result = await Race.first(
///     { await outcome.value() ?? .timedOut(seconds: timeout) },
///     { try? await Task.sleep(for: .seconds(timeout)); return .timedOut(seconds: timeout) })
/// ```
///
/// The group waits for the losers to stop, so every operation must return soon after it is
/// cancelled: `Task.sleep` does, and so does waiting on a ``OneShot``. Work that may ignore
/// cancellation (a user's closure, a network call) runs in its own task and is raced through a
/// ``OneShot`` it resolves (see ``Race/first(_:orTimeoutAfter:_:)``).
enum Race {
    /// The value of whichever operation returns first; the others are cancelled and awaited.
    static func first<Value: Sendable>(_ operations: (@Sendable () async -> Value)...) async -> Value {
        await withTaskGroup(of: Value.self) { group in
            for operation in operations {
                group.addTask(operation: operation)
            }
            // The group has at least one child, so `next()` has a value.
            let winner = await group.next()!
            group.cancelAll()
            return winner
        }
    }

    /// Runs `work` in a task of its own, bounded by `timeout` counted from when that task starts
    /// running: its value when it returns in time, otherwise `timedOut`, and the work is cancelled.
    /// Work that ignores the cancellation is left to finish on its own; its value is dropped.
    /// `beforeCancelling` runs once the work has lost and before it is cancelled: work that goes on
    /// after its cancellation (a closure that swallows `CancellationError` and logs) must already
    /// find its outputs closed.
    ///
    /// On a machine so busy that tasks wait long to run, the timer's child may be scheduled before
    /// the waiter woken by the work: the work's value still counts when it arrived by the deadline.
    static func first<Value: Sendable>(
        _ work: @escaping @Sendable () async -> Value, orTimeoutAfter timeout: Duration, _ timedOut: Value,
        beforeCancelling: () -> Void = {}
    ) async -> Value {
        let began = OneShot<ContinuousClock.Instant>()
        let done = OneShot<Value>()
        let task = Task {
            began.resolve(.now)
            done.resolve(await work())
        }
        _ = await first(
            { await done.value() != nil },
            {
                if let began = await began.value() {
                    try? await Task.sleep(until: began + timeout, clock: .continuous)
                }
                return false
            })
        guard let (value, at) = done.resolution, let began = began.current, at <= began + timeout else {
            beforeCancelling()
            task.cancel()
            return timedOut
        }
        return value
    }
}
