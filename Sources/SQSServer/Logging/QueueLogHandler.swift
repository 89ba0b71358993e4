import FoundationEssentials
import Logging
import SQSEngine
import SQSLogs
import SQSProtocol

/// A swift-log handler that writes the queue engine's lifecycle lines (message sent, received,
/// deleted, moved to a dead-letter queue or by a move task, passed to a function, queue created,
/// purged, deleted, move task started and ended) to CloudWatch Logs: the group `/sqslite/<queue>`
/// (`/sqslite/<account>/<region>/<queue>` outside the default account and region), one stream per
/// UTC day named `YYYY/MM/DD`.
///
/// Each event is one JSON object with the line's text as `event` and its metadata, every value a
/// string, so `filter-log-events --filter-pattern <messageId>` finds a message's whole life and
/// `{ $.event = "message deleted" }` works too:
///
/// ```json
/// {"event":"message sent","level":"debug","messageId":"6f1c…","queue":"000000000000/us-east-1/orders","receiveCount":"0","requestId":"0b7e…"}
/// ```
///
/// A move to a dead-letter queue or by a move task is written to both queues' groups. The server
/// adds this handler beside its own (a `MultiplexLogHandler`) only when queue logs are on, so the
/// engine, which builds its per-message lines only when its logger wants `debug`, pays nothing
/// otherwise. Lines go through ``LogStore/append(group:stream:lines:)``, which never waits.
struct QueueLogHandler: LogHandler {
    /// Where the lines go.
    let store: LogStore
    /// The queues whose lines are written (`account/region/name`), or `nil` for every queue.
    let queues: Set<String>?
    /// The default account and region, whose queues get the short group name.
    let account: String
    let region: String
    /// `debug`: the per-message lines are debug lines.
    var logLevel: Logger.Level = .debug
    var metadata: Logger.Metadata = [:]

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    /// `base`, also writing queue lifecycle lines to `store` when `--queue-logs` is on or the config
    /// file turns them on for some queues (`logs: true`); `base` itself otherwise.
    static func logger(_ base: Logger, store: LogStore, options: ServerOptions, config: ConfigFile?) -> Logger {
        let configured = Set((config?.queues ?? []).filter(\.logs).map { "\(options.accountID)/\(options.region)/\($0.name)" })
        guard options.queueLogs || !configured.isEmpty else { return base }
        let handler = QueueLogHandler(
            store: store, queues: options.queueLogs ? nil : configured, account: options.accountID, region: options.region)
        var logger = base
        logger.handler = MultiplexLogHandler([base.handler, handler])
        return logger
    }

    /// The metadata keys that name the queues a line concerns.
    static let queueKeys = ["queue", "deadLetterQueue", "destination"]

    func log(event: Logging.LogEvent) {
        guard let fields = event.metadata else { return }
        var targets: [String] = Self.queueKeys.compactMap { fields[$0].map { "\($0)" } }
        if let arn = fields["source"].map({ "\($0)" }), let key = QueueKey(arn: arn) {
            targets.append(key.description)
        }
        if let queues { targets.removeAll { !queues.contains($0) } }
        guard !targets.isEmpty else { return }
        var writer = JSONWriter()
        writer.object { object in
            object.member("event", event.message.description)
            object.member("level", event.level.rawValue)
            for key in fields.keys.sorted() where key != "event" && key != "level" {
                object.member(key, "\(fields[key]!)")
            }
        }
        let line = String(decoding: writer.bytes, as: UTF8.self)
        let stream = Self.day(LogStore.systemNow())
        for target in Set(targets) {
            guard let group = groupName(target) else { continue }
            store.append(group: group, stream: stream, lines: [line])
        }
    }

    /// `/sqslite/<name>` for a queue of the default account and region (given as `account/region/name`),
    /// `/sqslite/<account>/<region>/<name>` for another.
    func groupName(_ queue: String) -> String? {
        let parts = queue.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3 else { return nil }
        return parts[0] == account && parts[1] == region ? "/sqslite/\(parts[2])" : "/sqslite/\(queue)"
    }

    /// `YYYY/MM/DD` (UTC) of a time in epoch milliseconds.
    static func day(_ milliseconds: Int64) -> String {
        let time = CivilTime(milliseconds: milliseconds)
        return "\(time.year)/\(CivilTime.padded(time.month, 2))/\(CivilTime.padded(time.day, 2))"
    }
}
