import Synchronization

/// A value set once by one task and awaited by others (`nil` when setting failed).
final class AsyncSlot<Value: Sendable>: Sendable {
    private enum State {
        case waiting([CheckedContinuation<Value?, Never>])
        case done(Value?)
    }

    private let state = Mutex<State>(.waiting([]))

    /// The value, once set; `nil` if ``fail()`` was called instead.
    var value: Value? {
        get async {
            await withCheckedContinuation { continuation in
                let ready: Value?? = state.withLock { state in
                    switch state {
                    case .waiting(var waiters):
                        waiters.append(continuation)
                        state = .waiting(waiters)
                        return nil
                    case .done(let value):
                        return .some(value)
                    }
                }
                if let ready { continuation.resume(returning: ready) }
            }
        }
    }

    func set(_ value: Value) { finish(value) }

    func fail() { finish(nil) }

    private func finish(_ value: Value?) {
        let waiters: [CheckedContinuation<Value?, Never>] = state.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(value)
            return waiters
        }
        for waiter in waiters { waiter.resume(returning: value) }
    }
}
