import Synchronization

/// One queue's counters and sent-size histogram, kept by ``ServerMetrics`` and written out by
/// ``QueueExposition`` (not registered in the Prometheus registry, whose families copy their
/// whole label dictionary for every series added: with 10,000 queues that made the first scrape
/// quadratic).
///
/// ## Sendable
/// The counters are atomics; the histogram is behind a `Mutex`.
final class QueueMetrics: Sendable {
    let sent = Atomic<Int>(0)
    let received = Atomic<Int>(0)
    let deleted = Atomic<Int>(0)
    let emptyReceives = Atomic<Int>(0)
    /// Per bucket of ``ServerMetrics/sizeBuckets``: sizes at most that bound (not cumulative).
    private let sizes = Mutex(SizeHistogram(bucketCount: ServerMetrics.sizeBuckets.count))

    /// The sent-size histogram's state.
    struct SizeHistogram {
        var buckets: [Int]
        var sum = 0
        var count = 0

        init(bucketCount: Int) {
            buckets = Array(repeating: 0, count: bucketCount)
        }

        /// Counts one size in its bucket.
        mutating func add(_ value: Int) {
            if let index = ServerMetrics.sizeBuckets.firstIndex(where: { Double(value) <= $0 }) { buckets[index] += 1 }
            sum += value
            count += 1
        }
    }

    /// Records messages sent with these sizes.
    func recordSent(sizes values: [Int]) {
        sent.add(values.count, ordering: .relaxed)
        sizes.withLock { histogram in
            for value in values { histogram.add(value) }
        }
    }

    /// Records one message sent with this size.
    func recordSent(size value: Int) {
        sent.add(1, ordering: .relaxed)
        sizes.withLock { $0.add(value) }
    }

    /// The histogram now.
    var sizeHistogram: SizeHistogram {
        sizes.withLock { $0 }
    }
}
