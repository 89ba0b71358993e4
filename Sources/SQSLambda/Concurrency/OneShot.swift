import Synchronization

/// A value that arrives once (an invocation's result, a process's exit) and that any number of
/// tasks can wait for. Waiting is cancellable: a cancelled waiter gets `nil` at once, so a waiter
/// can be one side of a ``Race``.
///
/// ```swift
/// let exit = OneShot<ProcessExit>()
/// // elsewhere: exit.resolve(.status(0))
/// let status = await exit.value()  // nil when this task is cancelled first
/// ```
///
/// ## Sendable
/// All state is behind a `Mutex`; continuations are resumed outside it.
final class OneShot<Value: Sendable>: Sendable {
    private struct State {
        var value: Value?
        var resolvedAt: ContinuousClock.Instant?
        var waiters: [UInt64: CheckedContinuation<Value?, Never>] = [:]
        var nextWaiter: UInt64 = 0
    }

    private let state = Mutex(State())

    init() {}

    /// The value, once it has arrived.
    var current: Value? {
        state.withLock { $0.value }
    }

    /// The value and when it arrived, once it has. A race decided by which waiter runs first can
    /// be decided again by when the value really arrived.
    var resolution: (value: Value, at: ContinuousClock.Instant)? {
        state.withLock { state in state.value.flatMap { value in state.resolvedAt.map { (value, $0) } } }
    }

    /// Sets the value and wakes every waiter; a later call changes nothing.
    /// - Returns: Whether this call set the value.
    @discardableResult
    func resolve(_ value: Value) -> Bool {
        let waiters = state.withLock { state -> [CheckedContinuation<Value?, Never>]? in
            guard state.value == nil else { return nil }
            state.value = value
            state.resolvedAt = .now
            defer { state.waiters = [:] }
            return Array(state.waiters.values)
        }
        guard let waiters else { return false }
        for waiter in waiters {
            waiter.resume(returning: value)
        }
        return true
    }

    /// Waits for the value; `nil` when the waiting task is cancelled before it arrives.
    func value() async -> Value? {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let ready = state.withLock { state -> Value?? in
                    if let value = state.value { return .some(value) }
                    if Task.isCancelled { return .some(nil) }
                    state.waiters[id] = continuation
                    return nil
                }
                if let ready {
                    continuation.resume(returning: ready)
                }
            }
        } onCancel: {
            state.withLock { $0.waiters.removeValue(forKey: id) }?.resume(returning: nil)
        }
    }
}
