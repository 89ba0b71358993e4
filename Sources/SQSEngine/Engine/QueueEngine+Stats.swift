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
    /// Every queue's counts and the age of its oldest message.
    public func queueStatistics() -> [QueueStatistics] {
        let now = clock.now()
        return queues.values.map { state in
            let counts = state.counts(now: now)
            let oldest = state.oldestSentAt(now: now)?.milliseconds
            let age = oldest.map { Int(max(0, now.milliseconds - $0) / 1000) } ?? 0
            return QueueStatistics(key: state.key, visible: counts.visible, inFlight: counts.inFlight, delayed: counts.delayed, oldestMessageAge: age)
        }.sorted { $0.key.description < $1.key.description }
    }
}
