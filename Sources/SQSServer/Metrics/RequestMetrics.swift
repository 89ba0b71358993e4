import CoreMetrics

/// One HTTP action's metric handles: its latency (label `action`) and a request counter per
/// status (labels `action`, `status`), made on first use and kept.
struct RequestMetrics: Sendable {
    let action: String
    let duration: Timer
    /// The counter of the most common status, 200, without a lookup.
    let ok: Counter
    private(set) var byStatus: [Int: Counter] = [:]

    init(_ action: String, factory: any MetricsFactory) {
        self.action = action
        duration = Timer(label: MetricName.requestDuration, dimensions: [("action", action)], factory: factory)
        ok = Counter(label: MetricName.requests, dimensions: [("action", action), ("status", "200")], factory: factory)
    }

    /// The counter of `status` (made on first use) and the latency timer.
    mutating func handles(status: Int, factory: any MetricsFactory) -> (requests: Counter, duration: Timer) {
        if status == 200 { return (ok, duration) }
        if let counter = byStatus[status] { return (counter, duration) }
        let counter = Counter(label: MetricName.requests, dimensions: [("action", action), ("status", String(status))], factory: factory)
        byStatus[status] = counter
        return (counter, duration)
    }
}
