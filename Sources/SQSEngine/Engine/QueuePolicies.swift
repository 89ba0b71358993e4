import Synchronization

/// The `Policy` attribute of every queue that has one, readable without entering the engine's
/// actor: every SQS request under `--auth` reads its queue's policy before it is served, and a
/// hop into the actor for it cost as much as the policy's evaluation.
///
/// The engine writes it wherever a queue's attributes or existence change, inside the actor, so a
/// request that starts after a change returns sees it (as it would reading the actor's state).
///
/// ## Sendable
/// The map is behind a `Mutex`.
final class QueuePolicies: Sendable {
    private let policies = Mutex<[QueueKey: String]>([:])

    /// The policy of a queue, or `nil` when it has none or does not exist.
    subscript(key: QueueKey) -> String? {
        policies.withLock { $0[key] }
    }

    /// Records a queue's current policy (or its absence).
    func update(_ key: QueueKey, _ policy: String?) {
        policies.withLock { $0[key] = policy }
    }

    /// Replaces every entry (at startup and after a reload).
    func replaceAll(_ entries: [QueueKey: String]) {
        policies.withLock { $0 = entries }
    }
}
