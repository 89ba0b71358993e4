import SQSEngine
import Synchronization

/// The per-queue part of `/metrics`, written in Prometheus' text format in one pass, O(queues):
///
/// - the counters and the sent-size histogram of every queue seen (a deleted queue's stay, as
///   CloudWatch keeps its history; a live queue starts at 0 from the first scrape);
/// - the gauges (`…_visible`, `…_not_visible`, `…_delayed`, age of the oldest message) of live
///   queues only, from the engine's numbers at this scrape.
///
/// Sample lines look like the registry's: `name{queue="…",account="…",region="…"} 3`, gauges and
/// sums as decimals (`1.0`).
enum QueueExposition {
    /// Appends every per-queue family to `buffer`, queues sorted by account, region and name.
    static func render(counters: [QueueKey: QueueMetrics], statistics: [QueueStatistics], into buffer: inout [UInt8]) {
        let seen = counters.map { (sortKey: $0.key.description, key: $0.key, metrics: $0.value, labels: labelText($0.key)) }
            .sorted { $0.sortKey < $1.sortKey }
        let live = statistics.map { (sortKey: $0.key.description, statistics: $0) }.sorted { $0.sortKey < $1.sortKey }.map(\.statistics)
        buffer.reserveCapacity(buffer.count + seen.count * 1200 + live.count * 450)

        let counterFamilies: [(String, (QueueMetrics) -> Int)] = [
            (MetricName.sent, { $0.sent.load(ordering: .relaxed) }), (MetricName.received, { $0.received.load(ordering: .relaxed) }),
            (MetricName.deleted, { $0.deleted.load(ordering: .relaxed) }),
            (MetricName.emptyReceives, { $0.emptyReceives.load(ordering: .relaxed) }),
        ]
        for (name, counter) in counterFamilies where !seen.isEmpty {
            header(&buffer, name, type: "counter")
            for queue in seen {
                line(&buffer, name, queue.labels, String(counter(queue.metrics)))
            }
        }
        if !seen.isEmpty {
            let name = MetricName.sentSize
            let bounds = ServerMetrics.sizeBuckets.map { "\($0)" }
            header(&buffer, name, type: "histogram")
            for queue in seen {
                let histogram = queue.metrics.sizeHistogram
                // The labels without their closing brace, for `le` to follow.
                let open = Array(queue.labels.dropLast()) + [UInt8(ascii: ",")]
                var cumulative = 0
                for (index, bound) in bounds.enumerated() {
                    cumulative += histogram.buckets[index]
                    bucket(&buffer, name, open, bound, cumulative)
                }
                bucket(&buffer, name, open, "+Inf", histogram.count)
                line(&buffer, name + "_sum", queue.labels, String(histogram.sum) + ".0")
                line(&buffer, name + "_count", queue.labels, String(histogram.count))
            }
        }

        let labels = live.map { labelText($0.key) }
        let gaugeFamilies: [(String, (QueueStatistics) -> Int)] = [
            (MetricName.visible, \.visible), (MetricName.notVisible, \.inFlight), (MetricName.delayed, \.delayed),
            (MetricName.oldest, \.oldestMessageAge),
        ]
        for (name, value) in gaugeFamilies where !live.isEmpty {
            header(&buffer, name, type: "gauge")
            for (index, queue) in live.enumerated() {
                // Whole numbers, written as the registry writes a Double gauge (`3.0`).
                line(&buffer, name, labels[index], String(value(queue)) + ".0")
            }
        }
    }

    /// `# HELP` (the CloudWatch name, see ``MetricName/help``) and `# TYPE` of a family.
    private static func header(_ buffer: inout [UInt8], _ name: String, type: String) {
        if let help = MetricName.help[name] { buffer.append(contentsOf: "# HELP \(name) \(help)\n".utf8) }
        buffer.append(contentsOf: "# TYPE \(name) \(type)\n".utf8)
    }

    private static func line(_ buffer: inout [UInt8], _ name: String, _ labels: [UInt8], _ value: String) {
        buffer.append(contentsOf: name.utf8)
        buffer.append(contentsOf: labels)
        buffer.append(UInt8(ascii: " "))
        buffer.append(contentsOf: value.utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    private static func bucket(_ buffer: inout [UInt8], _ name: String, _ open: [UInt8], _ bound: String, _ count: Int) {
        buffer.append(contentsOf: name.utf8)
        buffer.append(contentsOf: "_bucket".utf8)
        buffer.append(contentsOf: open)
        buffer.append(contentsOf: #"le="\#(bound)"} \#(count)"#.utf8)
        buffer.append(UInt8(ascii: "\n"))
    }

    /// `{queue="…",account="…",region="…"}`, values escaped as the exposition format requires.
    static func labelText(_ key: QueueKey) -> [UInt8] {
        Array(#"{queue="\#(escaped(key.name))",account="\#(escaped(key.account))",region="\#(escaped(key.region))"}"#.utf8)
    }

    /// A label value with `\`, `"` and newlines escaped.
    static func escaped(_ value: String) -> String {
        guard value.contains(where: { $0 == "\\" || $0 == "\"" || $0 == "\n" }) else { return value }
        var result = ""
        for character in value {
            switch character {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            default: result.append(character)
            }
        }
        return result
    }
}
