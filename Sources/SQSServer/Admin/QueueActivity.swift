import SQSEngine
import Synchronization

/// Counts each queue's sends, receives and deletes over the last minute, for the admin page's
/// "per minute" columns, and passes every event on to another observer (the metrics).
///
/// Each queue keeps 60 one-second buckets per kind; recording is one lock and an increment, so
/// it is cheap enough for the hot path.
public final class QueueActivity: QueueEventObserver, Sendable {
    /// Sends, receives and deletes in the last 60 seconds.
    public struct Rates: Sendable, Equatable {
        public var sent: Int
        public var received: Int
        public var deleted: Int

        /// Creates rates.
        public init(sent: Int, received: Int, deleted: Int) {
            self.sent = sent
            self.received = received
            self.deleted = deleted
        }
    }

    private struct Window {
        /// The second each bucket counts, and its counts: sent, received, deleted.
        var seconds = [Int64](repeating: -1, count: 60)
        var counts = [(Int, Int, Int)](repeating: (0, 0, 0), count: 60)

        mutating func add(at second: Int64, sent: Int = 0, received: Int = 0, deleted: Int = 0) {
            let index = Int(second % 60)
            if seconds[index] != second {
                seconds[index] = second
                counts[index] = (0, 0, 0)
            }
            counts[index].0 += sent
            counts[index].1 += received
            counts[index].2 += deleted
        }

        func rates(at second: Int64) -> Rates {
            var rates = Rates(sent: 0, received: 0, deleted: 0)
            for index in 0..<60 where seconds[index] > second - 60 {
                rates.sent += counts[index].0
                rates.received += counts[index].1
                rates.deleted += counts[index].2
            }
            return rates
        }
    }

    private let next: (any QueueEventObserver)?
    /// The last hour, minute by minute, for the charts.
    public let history: QueueHistory
    private let windows = Mutex<[QueueKey: Window]>([:])
    private let start = ContinuousClock.now

    /// Creates counters that also tell `next` about every event.
    public init(forwardingTo next: (any QueueEventObserver)? = nil, history: QueueHistory = QueueHistory()) {
        self.next = next
        self.history = history
    }

    private var second: Int64 {
        (ContinuousClock.now - start).components.seconds
    }

    public func messagesSent(_ key: QueueKey, sizes: [Int]) {
        next?.messagesSent(key, sizes: sizes)
        countSent(key, sizes.count)
    }

    public func messageSent(_ key: QueueKey, size: Int) {
        next?.messageSent(key, size: size)
        countSent(key, 1)
    }

    private func countSent(_ key: QueueKey, _ count: Int) {
        let now = second
        windows.withLock { $0[key, default: Window()].add(at: now, sent: count) }
        history.count(key, sent: count)
    }

    public func messagesReceived(_ key: QueueKey, count: Int) {
        next?.messagesReceived(key, count: count)
        guard count > 0 else { return }
        let now = second
        windows.withLock { $0[key, default: Window()].add(at: now, received: count) }
        history.count(key, received: count)
    }

    public func messagesDeleted(_ key: QueueKey, count: Int) {
        next?.messagesDeleted(key, count: count)
        let now = second
        windows.withLock { $0[key, default: Window()].add(at: now, deleted: count) }
        history.count(key, deleted: count)
    }

    /// A queue's counts over the last minute.
    public func rates(_ key: QueueKey) -> Rates {
        let now = second
        return windows.withLock { $0[key]?.rates(at: now) } ?? Rates(sent: 0, received: 0, deleted: 0)
    }
}
