/// Durable storage for queues and messages: the engine's only view of persistence.
///
/// The engine keeps the working state and decides every SQS rule; a store saves the changes and
/// gives them back at startup. Implementations must:
/// - apply each ``submit(_:completion:)`` atomically (all of its changes or none),
/// - apply submissions in the order `submit` was called (the engine relies on it: an insert
///   is always submitted before the receive that updates the same message),
/// - call `completion` only once the changes are durable (committed), off the caller's thread if
///   the work blocks. Several submissions may share one commit (group commit),
/// - once a submission fails, fail every later one too (they may depend on it: a receive of a
///   message whose insert failed) until ``resumeAfterFailure()``; the engine then reloads what is
///   durable with ``load()``, which sees every earlier submission's outcome.
public protocol QueueStore: Sendable {
    /// Reads every queue and message: at startup, and after a failed submission (then it reflects
    /// every submission made before the call, committed or failed).
    func load() async throws -> StoreSnapshot
    /// Queues `changes` for commit and calls `completion` when they are durable or have failed.
    /// Must not block: the ordering guarantee is taken at the moment of the call.
    func submit(_ changes: [StoreChange], completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
    /// Commits what is pending and releases resources. No submission follows.
    func close() async throws
    /// Accepts submissions again after a failure. Called synchronously by the engine once it has
    /// replaced its working state with a ``loadWorkingSet()`` made after the failure.
    func resumeAfterFailure()
    /// Reads every queue and the metadata of every message (no bodies): what the engine keeps.
    /// Ordered like ``load()`` after every earlier submission.
    func loadWorkingSet() async throws -> WorkingSet
    /// The full records of a queue's messages, in the order of `sequences`; sequences not stored
    /// are left out. Reflects every submission whose completion has been called.
    func fetchMessages(queueID: Int64, sequences: [Int64]) async throws -> [MessageRecord]
}

extension QueueStore {
    /// From ``load()``, for stores that keep full records anyway.
    public func loadWorkingSet() async throws -> WorkingSet {
        WorkingSet(try await load())
    }

    /// Submits `changes` and waits until they are durable.
    ///
    /// `isolation` makes the submission happen synchronously in the caller's isolation (an actor)
    /// before it suspends, so calls made in order from one actor are committed in that order.
    /// (A plain `nonisolated async` function would hop to the global executor first, and two
    /// callers' submissions could reach the store in the other order.)
    public func commit(_ changes: [StoreChange], isolation: isolated (any Actor)? = #isolation) async throws {
        if changes.isEmpty { return }
        try await withCheckedThrowingContinuation(isolation: isolation) { (continuation: CheckedContinuation<Void, any Error>) in
            submit(changes) { continuation.resume(with: $0) }
        }
    }
}
