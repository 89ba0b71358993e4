import FoundationEssentials
import SQSEngine
import Synchronization

/// Each queue's last hour, one sample a minute, for the admin page's charts: messages sent,
/// received and deleted in that minute, and the depth (visible, in flight, delayed) sampled at
/// its end.
///
/// Bounded: a ring of ``minutes`` samples per existing queue (deleted queues are dropped at the
/// next depth sample), whatever the uptime or the number of messages. Counting is one lock and
/// an increment, cheap enough for the hot path.
public final class QueueHistory: Sendable {
    /// How many minutes the charts show.
    public static let minutes = 60

    /// One minute of one queue.
    public struct Sample: Sendable, Equatable {
        /// Minutes since the epoch.
        public var minute: Int64
        public var sent = 0
        public var received = 0
        public var deleted = 0
        /// The depth sampled in this minute, `nil` when it was not sampled.
        public var visible: Int?
        public var inFlight: Int?
        public var delayed: Int?
    }

    private struct Ring {
        var samples = [Sample?](repeating: nil, count: QueueHistory.minutes)

        mutating func update(_ minute: Int64, _ change: (inout Sample) -> Void) {
            let index = Int(minute % Int64(QueueHistory.minutes))
            var sample = samples[index].flatMap { $0.minute == minute ? $0 : nil } ?? Sample(minute: minute)
            change(&sample)
            samples[index] = sample
        }
    }

    private let rings = Mutex<[QueueKey: Ring]>([:])
    private let nowMilliseconds: @Sendable () -> Int64

    /// Creates an empty history reading the time from `now` (epoch milliseconds; the wall clock
    /// by default).
    public init(now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.nowMilliseconds = now
    }

    /// The current minute since the epoch.
    public var currentMinute: Int64 { nowMilliseconds() / 60_000 }

    /// Counts messages sent, received and deleted now.
    public func count(_ key: QueueKey, sent: Int = 0, received: Int = 0, deleted: Int = 0) {
        let minute = currentMinute
        rings.withLock { rings in
            rings[key, default: Ring()].update(minute) {
                $0.sent += sent
                $0.received += received
                $0.deleted += deleted
            }
        }
    }

    /// A queue's depth at one moment.
    public struct Depth: Sendable {
        public var visible: Int
        public var inFlight: Int
        public var delayed: Int

        /// Creates a depth.
        public init(visible: Int, inFlight: Int, delayed: Int) {
            self.visible = visible
            self.inFlight = inFlight
            self.delayed = delayed
        }
    }

    /// Records every queue's depth now (`depths` holds every existing queue), and forgets the
    /// queues that no longer exist.
    public func sampleDepth(_ depths: [QueueKey: Depth]) {
        let minute = currentMinute
        rings.withLock { rings in
            for key in rings.keys where depths[key] == nil { rings[key] = nil }
            for (key, depth) in depths {
                rings[key, default: Ring()].update(minute) {
                    $0.visible = depth.visible
                    $0.inFlight = depth.inFlight
                    $0.delayed = depth.delayed
                }
            }
        }
    }

    /// The queue's last ``minutes`` minutes, oldest first, ending with the current one; a minute
    /// with nothing recorded has zero counts and no depth.
    public func history(_ key: QueueKey) -> [Sample] {
        let now = currentMinute
        let ring = rings.withLock { $0[key] } ?? Ring()
        return (0..<Int64(Self.minutes)).map { back in
            let minute = now - Int64(Self.minutes) + 1 + back
            let index = Int(minute % Int64(Self.minutes))
            return ring.samples[index].flatMap { $0.minute == minute ? $0 : nil } ?? Sample(minute: minute)
        }
    }

    /// How many queues have a history (for tests: it never exceeds the number of queues).
    public var queueCount: Int { rings.withLock { $0.count } }
}
