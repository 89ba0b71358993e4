import SQSEngine
import Synchronization

/// Parsed RedrivePolicy documents, remembered by their text, so the admin page's queue list
/// parses each policy once rather than on every poll.
///
/// Bounded: past ``capacity`` distinct texts the cache starts over.
///
/// ## Sendable
/// The dictionary is behind a `Mutex`.
final class RedrivePolicyCache: Sendable {
    /// The most policy texts remembered.
    let capacity: Int
    private let links = Mutex<[String: RedriveLink?]>([:])

    init(capacity: Int = 50_000) {
        self.capacity = capacity
    }

    /// The policy's target and maxReceiveCount (`nil` when it names none), parsed at most once.
    func link(_ policy: String) -> RedriveLink? {
        if let known = links.withLock({ $0[policy] }) { return known }
        let parsed = RedriveLink(policy: policy)
        let capacity = self.capacity
        links.withLock { links in
            if links.count >= capacity { links.removeAll(keepingCapacity: true) }
            links[policy] = .some(parsed)
        }
        return parsed
    }
}
