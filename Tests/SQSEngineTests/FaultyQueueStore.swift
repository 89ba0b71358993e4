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

    func load() async throws -> StoreSnapshot {
        try await backing.load()
    }

    func submit(_ changes: [StoreChange], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        let outcome = state.withLock { state -> Bool in
            if state.refusing {
                state.refusedCount += 1
                return false
            }
            if state.failNext > 0 {
                state.failNext -= 1
                state.refusing = true
                return false
            }
            state.submissions.append(changes)
            return true
        }
        if outcome {
            backing.submit(changes, completion: completion)
        } else {
            completion(.failure(Failure()))
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
