import CoreMetrics

/// One function's metric handles (label `function`), made once and kept.
struct FunctionMetrics: Sendable {
    let invocations: Counter
    let errors: Counter
    let throttles: Counter
    let duration: Timer

    init(_ name: String, factory: any MetricsFactory) {
        let labels = [("function", name)]
        invocations = Counter(label: MetricName.invocations, dimensions: labels, factory: factory)
        errors = Counter(label: MetricName.errors, dimensions: labels, factory: factory)
        throttles = Counter(label: MetricName.throttles, dimensions: labels, factory: factory)
        duration = Timer(label: MetricName.duration, dimensions: labels, factory: factory)
    }
}
