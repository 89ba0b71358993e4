import Dispatch
import Foundation
import Logging
import SQSStore
import Synchronization

/// CloudWatch Logs' groups, streams and events, kept in SQLite: `logs.db` in the data folder, or
/// a private in-memory database for `--in-memory`.
///
/// Lines the server writes itself (function logs, queue lifecycle logs) go through
/// ``append(group:stream:lines:)``, which never waits: lines gather in a buffer and one task on the
/// store's queue writes everything gathered so far in one transaction, so a burst of lines costs
/// one commit, not one per line.
///
/// ## Sendable
/// The connection is used only on ``queue``, a serial Dispatch queue: async callers hop onto it
/// through a continuation, so no cooperative thread or event loop ever waits on SQLite. That
/// confinement is what the `@unchecked Sendable` promises. The buffer of appended lines is behind
/// a `Mutex`.
public final class LogStore: @unchecked Sendable {
    private let queue = DispatchQueue(label: "sqslite.logs.store")
    let database: LogDatabase
    private let logger: Logger
    private let pending = Mutex(PendingLines())

    /// Lines appended and not yet written.
    private struct PendingLines {
        var lines: [StampedLine] = []
        var drainScheduled = false
        /// The timestamp given to the last line: the next one gets no earlier one.
        var lastTimestamp = Int64.min
        /// Lines dropped because the buffer was full, not yet reported.
        var dropped = 0
    }

    /// Opens (creating if needed) the database at `path`, in memory when `path` is `nil`, and
    /// deletes the events its retention rules say have expired.
    /// - Parameters:
    ///   - defaultRetentionDays: The retention of the groups the server writes (`/aws/lambda/…`,
    ///     `/sqslite/…`) while they have no retention policy of their own; `nil` keeps their events.
    ///   - now: The clock, in milliseconds since the epoch (tests pass a fixed one).
    public init(
        path: String?, logger: Logger, defaultRetentionDays: Int? = nil, now: @escaping @Sendable () -> Int64 = LogStore.systemNow
    ) throws {
        self.database = try LogDatabase(path: path, defaultRetentionDays: defaultRetentionDays, now: now)
        self.logger = logger
        try database.expireAll()
    }

    /// Milliseconds since the epoch.
    public static let systemNow: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Runs `body` on the store's queue.
    func perform<T: Sendable>(_ body: @escaping @Sendable (LogDatabase) throws -> T) async throws(LogsError) -> T {
        let result: Result<T, LogsError> = await withCheckedContinuation { continuation in
            queue.async { [database] in
                do {
                    continuation.resume(returning: .success(try body(database)))
                } catch let error as LogsError {
                    continuation.resume(returning: .failure(error))
                } catch {
                    continuation.resume(returning: .failure(.storage(error)))
                }
            }
        }
        return try result.get()
    }

    /// Appends lines to a stream without waiting, creating the group and the stream when missing
    /// (how Lambda writes `/aws/lambda/<function>`).
    ///
    /// Each line is stamped with the current time, never earlier than a line appended before it,
    /// and lines are stored in the order of the calls; so a reader that asks for events from the
    /// last timestamp it saw (as `aws logs tail --follow` does) misses none. When more than
    /// ``LogsLimits/maxPendingLines`` wait to be written, further lines are dropped (and counted in
    /// a warning).
    public func append(group: String, stream: String, lines: [String]) {
        guard !lines.isEmpty else { return }
        let schedule = pending.withLock { pending -> Bool in
            let timestamp = max(database.now(), pending.lastTimestamp)
            pending.lastTimestamp = timestamp
            let room = LogsLimits.maxPendingLines - pending.lines.count
            pending.dropped += max(0, lines.count - room)
            for message in lines.prefix(max(0, room)) {
                pending.lines.append(StampedLine(group: group, stream: stream, timestamp: timestamp, message: message))
            }
            guard !pending.drainScheduled else { return false }
            pending.drainScheduled = true
            return true
        }
        if schedule {
            queue.async { [self] in drain() }
        }
    }

    /// The admin page's live tail of `group` (see ``TailPage``): the newest `limit` events matching
    /// `pattern`, or with `after` (the previous page's token) the matching events since.
    public func tail(group: String, pattern: FilterPattern, after: String?, limit: Int) async throws(LogsError) -> TailPage {
        try await perform { try $0.tail(group: group, pattern: pattern, after: after, limit: limit) }
    }

    /// The streams of `group` by name; none when the group does not exist.
    public func streams(group: String) async throws(LogsError) -> [LogStream] {
        try await perform { database in try database.group(group) == nil ? [] : try database.streams(group: group) }
    }

    /// Waits until every `append` made so far is stored.
    public func flush() async {
        await withCheckedContinuation { continuation in queue.async { continuation.resume() } }
    }

    /// Writes every pending line in one transaction (on ``queue``).
    private func drain() {
        let (lines, dropped) = pending.withLock { pending in
            pending.drainScheduled = false
            defer {
                pending.lines = []
                pending.dropped = 0
            }
            return (pending.lines, pending.dropped)
        }
        if dropped > 0 {
            logger.warning("log lines dropped: the log store cannot keep up", metadata: ["dropped": "\(dropped)"])
        }
        do {
            try database.append(lines)
        } catch {
            logger.warning("cannot store log events", metadata: ["events": "\(lines.count)", "error": "\(error)"])
        }
    }
}
