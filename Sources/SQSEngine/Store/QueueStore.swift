/// Durable storage for queues and messages: the engine's only view of persistence.
///
/// The engine keeps the working state and decides every SQS rule; a store saves the changes and
/// gives them back at startup. Implementations must:
/// - apply each ``submit(_:completion:)`` atomically (all of its changes or none),
/// - apply submissions in the order `submit` was called (the engine relies on it: an insert
///   is always submitted before the receive that updates the same message),
/// - call `completion` only once the changes are durable (committed), off the caller's thread if
///   the work blocks. Several submissions may share one commit (group commit).
public protocol QueueStore: Sendable {
    /// Reads every queue and message. Called once, before any submission.
    func load() async throws -> StoreSnapshot
    /// Queues `changes` for commit and calls `completion` when they are durable or have failed.
    /// Must not block: the ordering guarantee is taken at the moment of the call.
    func submit(_ changes: [StoreChange], completion: @escaping @Sendable (Result<Void, any Error>) -> Void)
    /// Commits what is pending and releases resources. No submission follows.
    func close() async throws
}

extension QueueStore {
    /// Submits `changes` and waits until they are durable.
    ///
    /// The submission happens synchronously in the caller's context before it suspends, so calls
    /// made in order from one actor are committed in that order.
    public func commit(_ changes: [StoreChange]) async throws {
        if changes.isEmpty { return }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            submit(changes) { continuation.resume(with: $0) }
        }
    }
}
