import Prometheus
import SQSEngine
import SQSLambda
import Synchronization

/// sqslite's Prometheus metrics (`GET /metrics`), named after CloudWatch's:
///
/// - per queue (labels `queue`, `account`, `region`): `sqs_number_of_messages_sent_total`,
///   `sqs_number_of_messages_received_total`, `sqs_number_of_messages_deleted_total`,
///   `sqs_number_of_empty_receives_total`, `sqs_sent_message_size_bytes` (histogram), and the gauges
///   `sqs_approximate_number_of_messages_visible`, `…_not_visible`, `…_delayed`,
///   `sqs_approximate_age_of_oldest_message_seconds` (read from the engine at each scrape);
/// - per function (label `function`): `lambda_invocations_total`, `lambda_errors_total`,
///   `lambda_throttles_total`, `lambda_duration_seconds` (histogram);
/// - HTTP: `sqslite_http_requests_total` (labels `action`, `status`) and
///   `sqslite_http_request_duration_seconds` (histogram, label `action`).
///
/// Counters are plain atomic increments on a registry owned by this server (no global
/// `MetricsSystem` bootstrap, so several servers can live in one process).
public final class ServerMetrics: QueueEventObserver, Sendable {
    let registry = PrometheusCollectorRegistry()
    private let gauges = Mutex<[QueueKey: [Gauge]]>([:])

    static let sizeBuckets: [Double] = [64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576]
    static let durationBuckets: [Duration] = [
        .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50), .milliseconds(100), .milliseconds(500),
        .seconds(1), .seconds(5), .seconds(30), .seconds(120),
    ]

    /// Creates an empty set of metrics.
    public init() {}

    private enum Name {
        static var sent: MetricNameDescriptor { describe("sqs", "number_of_messages_sent", "total", "NumberOfMessagesSent: messages added to the queue.") }
        static var received: MetricNameDescriptor { describe("sqs", "number_of_messages_received", "total", "NumberOfMessagesReceived: messages returned by receives.") }
        static var deleted: MetricNameDescriptor { describe("sqs", "number_of_messages_deleted", "total", "NumberOfMessagesDeleted: messages deleted.") }
        static var emptyReceives: MetricNameDescriptor { describe("sqs", "number_of_empty_receives", "total", "NumberOfEmptyReceives: receives that returned nothing.") }
        static var sentSize: MetricNameDescriptor { describe("sqs", "sent_message_size", "bytes", "SentMessageSize: body plus attributes of sent messages.") }
        static var visible: MetricNameDescriptor { describe("sqs", "approximate_number_of_messages_visible", "", "ApproximateNumberOfMessagesVisible.") }
        static var notVisible: MetricNameDescriptor { describe("sqs", "approximate_number_of_messages_not_visible", "", "ApproximateNumberOfMessagesNotVisible (in flight).") }
        static var delayed: MetricNameDescriptor { describe("sqs", "approximate_number_of_messages_delayed", "", "ApproximateNumberOfMessagesDelayed.") }
        static var oldest: MetricNameDescriptor { describe("sqs", "approximate_age_of_oldest_message", "seconds", "ApproximateAgeOfOldestMessage.") }
        static var invocations: MetricNameDescriptor { describe("lambda", "invocations", "total", "Invocations of the function.") }
        static var errors: MetricNameDescriptor { describe("lambda", "errors", "total", "Invocations that ended in a function error or timeout.") }
        static var throttles: MetricNameDescriptor { describe("lambda", "throttles", "total", "Throttled invocations (sqslite queues instead of throttling).") }
        static var duration: MetricNameDescriptor { describe("lambda", "duration", "seconds", "Duration of invocations.") }
        static var requests: MetricNameDescriptor { describe("sqslite", "http_requests", "total", "HTTP requests by SQS action or route, and status.") }
        static var requestDuration: MetricNameDescriptor { describe("sqslite", "http_request_duration", "seconds", "HTTP request latency by SQS action or route.") }

        static func describe(_ namespace: String, _ name: String, _ unit: String, _ help: String) -> MetricNameDescriptor {
            MetricNameDescriptor(namespace: namespace, metricName: name, unitName: unit, helpText: help)
        }
    }

    private func labels(_ key: QueueKey) -> [(String, String)] {
        [("queue", key.name), ("account", key.account), ("region", key.region)]
    }

    public func messagesSent(_ key: QueueKey, sizes: [Int]) {
        registry.makeCounter(descriptor: Name.sent, labels: labels(key)).increment(by: Int64(sizes.count))
        let histogram = registry.makeValueHistogram(descriptor: Name.sentSize, labels: labels(key), buckets: Self.sizeBuckets)
        for size in sizes { histogram.record(Double(size)) }
    }

    public func messagesReceived(_ key: QueueKey, count: Int) {
        if count == 0 {
            registry.makeCounter(descriptor: Name.emptyReceives, labels: labels(key)).increment()
        } else {
            registry.makeCounter(descriptor: Name.received, labels: labels(key)).increment(by: Int64(count))
        }
    }

    public func messagesDeleted(_ key: QueueKey, count: Int) {
        registry.makeCounter(descriptor: Name.deleted, labels: labels(key)).increment(by: Int64(count))
    }

    /// Records one HTTP request by SQS action (or route) and status.
    func requestServed(action: String, status: Int, duration: Duration) {
        registry.makeCounter(descriptor: Name.requests, labels: [("action", action), ("status", String(status))]).increment()
        registry.makeDurationHistogram(
            descriptor: Name.requestDuration, labels: [("action", action)], buckets: Self.durationBuckets
        ).record(duration)
    }

    /// Records one function invocation.
    public func invoked(_ record: InvocationRecord) {
        let labels = [("function", record.functionName)]
        registry.makeCounter(descriptor: Name.invocations, labels: labels).increment()
        registry.makeCounter(descriptor: Name.throttles, labels: labels).increment(by: Int64(0))
        let errors = registry.makeCounter(descriptor: Name.errors, labels: labels)
        if record.status == .error || record.status == .timeout { errors.increment() }
        registry.makeDurationHistogram(descriptor: Name.duration, labels: labels, buckets: Self.durationBuckets)
            .record(.milliseconds(record.durationMilliseconds))
    }

    /// The Prometheus text exposition, with queue gauges read from the engine now.
    func render(_ engine: QueueEngine) async -> [UInt8] {
        let statistics = await engine.queueStatistics()
        gauges.withLock { gauges in
            let live = Set(statistics.map(\.key))
            for (key, stale) in gauges where !live.contains(key) {
                for gauge in stale { registry.unregisterGauge(gauge) }
                gauges[key] = nil
            }
            for queue in statistics {
                let labels = labels(queue.key)
                let set = [
                    registry.makeGauge(descriptor: Name.visible, labels: labels),
                    registry.makeGauge(descriptor: Name.notVisible, labels: labels),
                    registry.makeGauge(descriptor: Name.delayed, labels: labels),
                    registry.makeGauge(descriptor: Name.oldest, labels: labels),
                ]
                set[0].set(Double(queue.visible))
                set[1].set(Double(queue.inFlight))
                set[2].set(Double(queue.delayed))
                set[3].set(Double(queue.oldestMessageAge))
                gauges[queue.key] = set
            }
        }
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }
}
