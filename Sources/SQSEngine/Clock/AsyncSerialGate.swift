import DequeModule
import Synchronization

/// Runs async closures one at a time, in the order they arrive (an async mutex).
///
/// An actor would not do: its methods interleave at every suspension point, and a time move
/// suspends while the sleepers it woke run.
final class AsyncSerialGate: Sendable {
    private struct State {
        var busy = false
        var waiting: Deque<CheckedContinuation<Void, Never>> = []
    }

    private let state = Mutex(State())

    /// Runs `body` once every earlier call has finished.
    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        await enter()
        let result = await body()
        leave()
        return result
    }

    private func enter() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let enterNow: Bool = state.withLock { state in
                if state.busy {
                    state.waiting.append(continuation)
                    return false
                }
                state.busy = true
                return true
            }
            if enterNow { continuation.resume() }
        }
    }

    private func leave() {
        let next: CheckedContinuation<Void, Never>? = state.withLock { state in
            if let next = state.waiting.popFirst() { return next }
            state.busy = false
            return nil
        }
        next?.resume()
    }
}
