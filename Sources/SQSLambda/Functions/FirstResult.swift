import Synchronization

/// Waits for the first of several racing producers (a result and a timeout, say) and ignores the rest.
final class FirstResult<Value: Sendable>: Sendable {
    private let state = Mutex<(continuation: CheckedContinuation<Value, Never>?, done: Bool)>((nil, false))

    /// Starts the producers with `start`, which gets a `resolve` function and returns a cleanup
    /// run once the first value arrives; returns that first value.
    func wait(_ start: (@escaping @Sendable (Value) -> Void) -> (@Sendable () -> Void)) async -> Value {
        let cleanup = Mutex<(@Sendable () -> Void)?>(nil)
        let value = await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
            state.withLock { $0.continuation = continuation }
            let stop = start { [self] value in
                let waiting: CheckedContinuation<Value, Never>? = state.withLock { state in
                    guard !state.done else { return nil }
                    state.done = true
                    defer { state.continuation = nil }
                    return state.continuation
                }
                waiting?.resume(returning: value)
            }
            cleanup.withLock { $0 = stop }
        }
        cleanup.withLock { $0 }?()
        return value
    }
}
