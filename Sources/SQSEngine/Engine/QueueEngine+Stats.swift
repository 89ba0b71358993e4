/// One queue's current numbers, for metrics and the admin page.
public struct QueueStatistics: Sendable {
    public var key: QueueKey
    public var visible: Int
    public var inFlight: Int
    public var delayed: Int
    /// Seconds since the oldest message was sent (0 when empty).
    public var oldestMessageAge: Int
}

extension QueueEngine {
    /// Every queue's counts and the age of its oldest message, in no particular order (sort off
    /// the actor if needed). Counts are kept incrementally: no pass over the messages.
    public func queueStatistics() -> [QueueStatistics] {
        let now = clock.now()
        return queues.values.map { statistics(of: $0, now: now) }
    }

    /// The counts of the given queues only (those that no longer exist are left out), in the
    /// order given: what one page of the admin page's queue list needs.
    public func queueStatistics(of keys: [QueueKey]) -> [QueueStatistics] {
        let now = clock.now()
        return keys.compactMap { key in queues[key].map { statistics(of: $0, now: now) } }
    }

    private func statistics(of state: QueueState, now: Timestamp) -> QueueStatistics {
        let counts = state.counts(now: now)
        let oldest = state.oldestSentAt(now: now)?.milliseconds
        let age = oldest.map { Int(max(0, now.milliseconds - $0) / 1000) } ?? 0
        return QueueStatistics(key: state.key, visible: counts.visible, inFlight: counts.inFlight, delayed: counts.delayed, oldestMessageAge: age)
    }
}
