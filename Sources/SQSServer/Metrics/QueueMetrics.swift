import CoreMetrics
import SQSEngine

/// One queue's metric handles (labels `queue`, `account`, `region`), made once and kept, so
/// counting an event is an atomic increment with no lookup in the registry.
struct QueueMetrics: Sendable {
    let sent: Counter
    let received: Counter
    let deleted: Counter
    let emptyReceives: Counter
    let sentSize: Recorder
    let visible: Gauge
    let notVisible: Gauge
    let delayed: Gauge
    let oldest: Gauge

    init(_ key: QueueKey, factory: any MetricsFactory) {
        let labels = [("queue", key.name), ("account", key.account), ("region", key.region)]
        sent = Counter(label: MetricName.sent, dimensions: labels, factory: factory)
        received = Counter(label: MetricName.received, dimensions: labels, factory: factory)
        deleted = Counter(label: MetricName.deleted, dimensions: labels, factory: factory)
        emptyReceives = Counter(label: MetricName.emptyReceives, dimensions: labels, factory: factory)
        sentSize = Recorder(label: MetricName.sentSize, dimensions: labels, aggregate: true, factory: factory)
        visible = Gauge(label: MetricName.visible, dimensions: labels, factory: factory)
        notVisible = Gauge(label: MetricName.notVisible, dimensions: labels, factory: factory)
        delayed = Gauge(label: MetricName.delayed, dimensions: labels, factory: factory)
        oldest = Gauge(label: MetricName.oldest, dimensions: labels, factory: factory)
    }

    /// Sets the gauges from the engine's current numbers.
    func update(_ statistics: QueueStatistics) {
        visible.record(statistics.visible)
        notVisible.record(statistics.inFlight)
        delayed.record(statistics.delayed)
        oldest.record(statistics.oldestMessageAge)
    }

    /// Removes the gauges of a deleted queue from the exposition; its counters stay (CloudWatch
    /// keeps a deleted queue's history too) and continue if the queue is created again.
    func removeGauges() {
        for gauge in [visible, notVisible, delayed, oldest] { gauge.destroy() }
    }
}
