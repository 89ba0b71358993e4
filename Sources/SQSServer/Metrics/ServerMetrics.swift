import CoreMetrics
import Prometheus
import SQSEngine
import SQSLambda
import Synchronization

/// sqslite's Prometheus metrics (`GET /metrics`), named after CloudWatch's (see ``MetricName``):
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
/// The metrics are swift-metrics handles made by a swift-prometheus factory over a registry owned
/// by this server, never through the global `MetricsSystem.bootstrap`: it may run only once per
/// process, and tests and embedders run several servers in one. Handles are made once per
/// function and action and kept, so the hot path is a dictionary lookup under a lock and an
/// atomic increment. Per-queue metrics are sqslite's own atomics, written by ``QueueExposition``
/// (the registry's cost per new series grows with the series it has, which 10,000 queues made
/// quadratic). The engine knows nothing of metrics: it tells its ``QueueEventObserver``.
public final class ServerMetrics: QueueEventObserver, Sendable {
    private let registry: PrometheusCollectorRegistry
    /// The factory of every metric here; metrics an embedder makes with it appear in `/metrics` too.
    public let factory: any MetricsFactory
    private let queues = Mutex<[QueueKey: QueueMetrics]>([:])
    private let functions = Mutex<[String: FunctionMetrics]>([:])
    private let requests = Mutex<[String: RequestMetrics]>([:])
    private let mappingCounters = Mutex<[String: CoreMetrics.Counter]>([:])

    static let sizeBuckets: [Double] = [64, 256, 1024, 4096, 16_384, 65_536, 262_144, 1_048_576]
    static let durationBuckets: [Duration] = [
        .microseconds(100), .microseconds(500), .milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(50),
        .milliseconds(100), .milliseconds(500), .seconds(1), .seconds(5), .seconds(30), .seconds(120),
    ]

    /// Creates an empty set of metrics with its own registry.
    public init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.durationHistogramBuckets = [MetricName.duration: Self.durationBuckets, MetricName.requestDuration: Self.durationBuckets]
        self.registry = registry
        self.factory = factory
    }

    private func queue(_ key: QueueKey) -> QueueMetrics {
        queues.withLock { queues in
            if let metrics = queues[key] { return metrics }
            let metrics = QueueMetrics()
            queues[key] = metrics
            return metrics
        }
    }

    public func messagesSent(_ key: QueueKey, sizes: [Int]) {
        queue(key).recordSent(sizes: sizes)
    }

    public func messageSent(_ key: QueueKey, size: Int) {
        queue(key).recordSent(size: size)
    }

    public func messagesReceived(_ key: QueueKey, count: Int) {
        let metrics = queue(key)
        if count == 0 {
            metrics.emptyReceives.add(1, ordering: .relaxed)
        } else {
            metrics.received.add(count, ordering: .relaxed)
        }
    }

    public func messagesDeleted(_ key: QueueKey, count: Int) {
        queue(key).deleted.add(count, ordering: .relaxed)
    }

    /// Records one HTTP request by SQS action (or route) and status.
    func requestServed(action: String, status: Int, duration: Duration) {
        let factory = self.factory
        let handles = requests.withLock { requests in
            requests[action, default: RequestMetrics(action, factory: factory)].handles(status: status, factory: factory)
        }
        handles.requests.increment()
        handles.duration.recordNanoseconds(Self.nanoseconds(duration))
    }

    /// Records one finished function invocation.
    public func invoked(_ record: InvocationRecord) {
        let metrics = functions.withLock { functions in
            if let metrics = functions[record.functionName] { return metrics }
            let metrics = FunctionMetrics(record.functionName, factory: factory)
            functions[record.functionName] = metrics
            return metrics
        }
        metrics.invocations.increment()
        if record.status == .error || record.status == .timeout { metrics.errors.increment() }
        metrics.duration.recordMilliseconds(record.durationMilliseconds)
    }

    /// Adds to an event-source mapping's event count (labels `event_source_mapping`, `function`).
    public func mappingEvent(uuid: String, function: String, event: MappingEvent, count: Int) {
        guard let name = MetricName.mappingEvents[event.rawValue] else { return }
        let factory = self.factory
        let counter = mappingCounters.withLock { counters in
            let key = "\(name)|\(uuid)|\(function)"
            if let counter = counters[key] { return counter }
            let counter = CoreMetrics.Counter(label: name, dimensions: [("event_source_mapping", uuid), ("function", function)], factory: factory)
            counters[key] = counter
            return counter
        }
        counter.increment(by: count)
    }

    /// The Prometheus text exposition: the registry's metrics, then every queue's (see
    /// ``QueueExposition``) with the gauges read from the engine now. One engine call; the text is
    /// written off the actor, in O(queues).
    func render(_ engine: QueueEngine) async -> [UInt8] {
        let statistics = await engine.queueStatistics()
        let counters = queues.withLock { queues in
            // A live queue's counters start at 0 from its first scrape, so rates work at once.
            for queue in statistics where queues[queue.key] == nil { queues[queue.key] = QueueMetrics() }
            return queues
        }
        var registryText: [UInt8] = []
        registry.emit(into: &registryText)
        var buffer = MetricName.addingHelp(to: registryText)
        if let last = buffer.last, last != UInt8(ascii: "\n") { buffer.append(UInt8(ascii: "\n")) }
        QueueExposition.render(counters: counters, statistics: statistics, into: &buffer)
        return buffer
    }

    static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
