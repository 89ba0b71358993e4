import Synchronization

/// The outcome of one store submission, awaited later and elsewhere than where it was made.
///
/// The engine submits on its actor, which keeps the commit order, and hands the ticket back to the
/// request, which waits for it off the actor (``QueueEngine/awaitCommit(_:isolation:)``). The store's
/// completion then resumes the request on its own executor (its connection's event loop) instead
/// of scheduling the actor once more only to return from it.
///
/// ```swift
/// let ticket = CommitTicket(recoveriesBefore: recoveriesCompleted)
/// store.submit(changes) { ticket.complete($0) }
/// // … later, anywhere:
/// try await ticket.wait()
/// ```
final class CommitTicket: Sendable {
    private enum State {
        case pending
        case waiting(UnsafeContinuation<Void, any Error>)
        case completed(Result<Void, any Error>)
    }

    private let state = Mutex(State.pending)

    /// How many reloads after a failed commit the engine had completed when this was submitted.
    let recoveriesBefore: Int

    /// A ticket for a submission made after `recoveriesBefore` completed reloads.
    init(recoveriesBefore: Int = 0) {
        self.recoveriesBefore = recoveriesBefore
    }

    /// Records the outcome and resumes the waiter, if one is waiting. Only the first call counts.
    func complete(_ result: Result<Void, any Error>) {
        let waiter = state.withLock { state -> UnsafeContinuation<Void, any Error>? in
            switch state {
            case .pending:
                state = .completed(result)
                return nil
            case .waiting(let continuation):
                state = .completed(result)
                return continuation
            case .completed:
                return nil
            }
        }
        waiter?.resume(with: result)
    }

    /// Whether a waiter is suspended in ``wait()`` (for tests).
    var hasWaiter: Bool {
        state.withLock { if case .waiting = $0 { true } else { false } }
    }

    /// Returns once the submission is durable; throws the store's error if it failed. Call it once.
    /// `isolation` is where it resumes: the caller's actor, or for a nonisolated caller its task's
    /// executor.
    ///
    /// The continuation is an unchecked one (no allocation of a checking object per request, on
    /// every write): the state machine resumes it exactly once, here if the outcome is already
    /// known, else in ``complete(_:)``, which takes it out of the state under the lock.
    func wait(isolation: isolated (any Actor)? = #isolation) async throws {
        try await withUnsafeThrowingContinuation(isolation: isolation) { (continuation: UnsafeContinuation<Void, any Error>) in
            let outcome = state.withLock { state -> Result<Void, any Error>? in
                switch state {
                case .pending:
                    state = .waiting(continuation)
                    return nil
                case .completed(let result):
                    return result
                case .waiting:
                    preconditionFailure("a commit ticket is awaited once")
                }
            }
            if let outcome { continuation.resume(with: outcome) }
        }
    }
}
