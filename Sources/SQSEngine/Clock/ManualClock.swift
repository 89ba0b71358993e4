import Synchronization

/// A clock that only moves when told to, for deterministic tests.
///
/// `advance(by:)` moves time forward and resumes every sleeper whose deadline has been reached, in
/// deadline order. Sleepers that are cancelled are resumed with `CancellationError`.
public final class ManualClock: EngineClock {
    private struct Sleeper {
        var id: UInt64
        var deadline: Timestamp
        var continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Timestamp
        var nextID: UInt64 = 0
        var sleepers: [Sleeper] = []
    }

    private let state: Mutex<State>

    /// Creates a clock that starts at `start` (default: 2024-01-01T00:00:00Z).
    public init(start: Timestamp = Timestamp(seconds: 1_704_067_200)) {
        state = Mutex(State(now: start))
    }

    public func now() -> Timestamp {
        state.withLock { $0.now }
    }

    /// The number of tasks currently sleeping on this clock.
    public var sleeperCount: Int {
        state.withLock { $0.sleepers.count }
    }

    /// Moves time forward by `seconds` and wakes the sleepers that are due.
    public func advance(seconds: Double) {
        advance(milliseconds: Int64(seconds * 1000))
    }

    /// Moves time forward by `milliseconds` and wakes the sleepers that are due.
    public func advance(milliseconds: Int64) {
        let due: [Sleeper] = state.withLock { state in
            state.now = state.now.adding(milliseconds: milliseconds)
            let now = state.now
            let due = state.sleepers.filter { $0.deadline <= now }.sorted { $0.deadline < $1.deadline }
            state.sleepers.removeAll { $0.deadline <= now }
            return due
        }
        for sleeper in due {
            sleeper.continuation.resume()
        }
    }

    public func sleep(until deadline: Timestamp) async throws {
        let id = state.withLock { state -> UInt64 in
            state.nextID += 1
            return state.nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let resumeNow: Bool = state.withLock { state in
                    if deadline <= state.now { return true }
                    if Task.isCancelled { return true }
                    state.sleepers.append(Sleeper(id: id, deadline: deadline, continuation: continuation))
                    return false
                }
                if resumeNow {
                    if Task.isCancelled {
                        continuation.resume(throwing: CancellationError())
                    } else {
                        continuation.resume()
                    }
                }
            }
        } onCancel: {
            let cancelled: Sleeper? = state.withLock { state in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }
}
