import Synchronization

@testable import SQSEngine

/// A ``MemoryQueueStore`` that can be told to fail submissions, and that records every submission
/// in the order it arrived. It follows the store contract: after a failed submission it refuses
/// every later one until `resumeAfterFailure()`.
final class FaultyQueueStore: QueueStore {
    struct Failure: Error {}

    private struct State {
        var failNext = 0
        var refusing = false
        var submissions: [[StoreChange]] = []
        var refusedCount = 0
        var holdsFailures = false
        var heldFailures: [@Sendable (Result<Void, any Error>) -> Void] = []
        var loadCount = 0
    }

    let backing = MemoryQueueStore()
    private let state = Mutex(State())

    /// Makes the next `count` submissions fail (as on a full disk).
    func failNextSubmissions(_ count: Int = 1) {
        state.withLock { $0.failNext = count }
    }

    /// Every submission that was applied, in arrival order.
    var appliedSubmissions: [[StoreChange]] { state.withLock { $0.submissions } }

    /// How many submissions were refused because an earlier one failed.
    var refusedCount: Int { state.withLock { $0.refusedCount } }

    /// How many times the store was loaded (at start and by every reload after a failure).
    var loadCount: Int { state.withLock { $0.loadCount } }

    /// Keeps the failures of later submissions from reaching their callers until
    /// ``releaseOldestFailure()``, as a slow disk may report them late.
    func holdFailures() {
        state.withLock { $0.holdsFailures = true }
    }

    /// How many failures are held back.
    var heldFailureCount: Int { state.withLock { $0.heldFailures.count } }

    /// Reports the oldest held failure to its caller.
    func releaseOldestFailure() {
        let completion = state.withLock { $0.heldFailures.removeFirst() }
        completion(.failure(Failure()))
    }

    func load() async throws -> StoreSnapshot {
        state.withLock { $0.loadCount += 1 }
        return try await backing.load()
    }

    func submit(_ changes: [StoreChange], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        enum Outcome { case apply, fail, hold }
        let outcome = state.withLock { state -> Outcome in
            if state.refusing || state.failNext > 0 {
                if state.refusing {
                    state.refusedCount += 1
                } else {
                    state.failNext -= 1
                    state.refusing = true
                }
                guard state.holdsFailures else { return .fail }
                state.heldFailures.append(completion)
                return .hold
            }
            state.submissions.append(changes)
            return .apply
        }
        switch outcome {
        case .apply: backing.submit(changes, completion: completion)
        case .fail: completion(.failure(Failure()))
        case .hold: break
        }
    }

    func close() async throws {}

    func fetchMessages(queueID: Int64, sequences: [Int64]) async throws -> [MessageRecord] {
        try await backing.fetchMessages(queueID: queueID, sequences: sequences)
    }


    func resumeAfterFailure() {
        state.withLock { $0.refusing = false }
    }
}
