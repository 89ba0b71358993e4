import SQSEngine
import SQSLambda

/// The charts of the queue and function pages (drawn in the browser by `admin-extras.js` from
/// the JSON in their `data-chart` attribute), and the function page's settings.
extension AdminResponder {
    /// A chart's data: evenly spaced minutes from `start`, one line per series (`nil` is a gap).
    struct Chart: Encodable {
        struct Series: Encodable {
            var name: String
            /// The colour: accent, green, red, amber or violet (a CSS class `tone-…`).
            var tone: String
            var values: [Double?]
        }

        var start: Int64
        var step: Int64 = 60_000
        var points: Int
        var unit: String
        var series: [Series]

        var json: String { String(decoding: AdminAPI.encode(self), as: UTF8.self) }
    }

    /// Environment variable names whose values the function page masks.
    static let secretNameParts = ["SECRET", "TOKEN", "PASSWORD", "KEY"]

    /// The queue page's charts: messages per minute and depth, over the last hour.
    func queueCharts(_ summary: QueueSummary) -> [String: Any] {
        guard let history = activity?.history else { return [:] }
        var samples = history.history(summary.key)
        guard let first = samples.first else { return [:] }
        if samples[samples.count - 1].visible == nil {
            // The current minute's depth is the live one until the sampler records it.
            samples[samples.count - 1].visible = summary.visible
            samples[samples.count - 1].inFlight = summary.inFlight
            samples[samples.count - 1].delayed = summary.delayed
        }
        let start = first.minute * 60_000
        let rates = Chart(
            start: start, points: samples.count, unit: "",
            series: [
                .init(name: "Sent/min", tone: "accent", values: samples.map { Double($0.sent) }),
                .init(name: "Received/min", tone: "green", values: samples.map { Double($0.received) }),
                .init(name: "Deleted/min", tone: "violet", values: samples.map { Double($0.deleted) }),
            ])
        let depth = Chart(
            start: start, points: samples.count, unit: "",
            series: [
                .init(name: "Visible", tone: "accent", values: samples.map { $0.visible.map { Double($0) } }),
                .init(name: "In flight", tone: "amber", values: samples.map { $0.inFlight.map { Double($0) } }),
                .init(name: "Delayed", tone: "violet", values: samples.map { $0.delayed.map { Double($0) } }),
            ])
        return ["ratesChart": rates.json, "depthChart": depth.json, "hasCharts": true]
    }

    /// The function page's charts over the last hour, from the invocation log: invocations and
    /// errors per minute, and duration percentiles per minute.
    func functionCharts(_ lambda: AdminLambda, name: String, nowMilliseconds: Int64) -> [String: Any] {
        let minutes = QueueHistory.minutes
        let now = nowMilliseconds / 60_000
        let first = now - Int64(minutes) + 1
        var invocations = [Double](repeating: 0, count: minutes)
        var errors = [Double](repeating: 0, count: minutes)
        var durations = [[Int64]](repeating: [], count: minutes)
        for record in lambda.invocations.recent(function: name, limit: lambda.invocations.capacity) {
            let index = Int(record.startedAt / 60_000 - first)
            guard index >= 0, index < minutes else { continue }
            invocations[index] += 1
            if record.status == .error || record.status == .timeout { errors[index] += 1 }
            durations[index].append(record.durationMilliseconds)
        }
        let sorted = durations.map { $0.sorted() }
        func percentile(_ p: Double) -> [Double?] {
            sorted.map { values in
                guard !values.isEmpty else { return nil }
                let rank = Int((p / 100 * Double(values.count)).rounded(.up)) - 1
                return Double(values[min(max(rank, 0), values.count - 1)])
            }
        }
        let counts = Chart(
            start: first * 60_000, points: minutes, unit: "",
            series: [.init(name: "Invocations/min", tone: "accent", values: invocations), .init(name: "Errors/min", tone: "red", values: errors)])
        let duration = Chart(
            start: first * 60_000, points: minutes, unit: " ms",
            series: [
                .init(name: "p50", tone: "green", values: percentile(50)), .init(name: "p90", tone: "amber", values: percentile(90)),
                .init(name: "p99", tone: "red", values: percentile(99)),
            ])
        return ["invocationsChart": counts.json, "durationChart": duration.json]
    }

    /// The function's command, folder and environment (secret-looking values masked).
    static func functionSettings(_ function: any LambdaFunction) -> [String: Any] {
        var context: [String: Any] = [
            "environment": function.configuration.environment.sorted { $0.key < $1.key }.map { name, value -> [String: Any] in
                let secret = secretNameParts.contains { name.uppercased().contains($0) }
                return ["name": name, "value": secret ? "••••••••" : value, "masked": secret]
            },
            "hasEnvironment": !function.configuration.environment.isEmpty,
        ]
        if let process = function as? ProcessFunction {
            context["command"] = process.command.joined(separator: " ")
            context["folder"] = process.workingDirectory ?? "(sqslite's working directory)"
        }
        return context
    }
}
