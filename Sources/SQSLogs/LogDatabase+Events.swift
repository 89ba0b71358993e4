import Foundation
import SQSStore

/// A page of `GetLogEvents`.
struct EventPage: Sendable {
    var events: [LogEvent]
    var nextForwardToken: String
    var nextBackwardToken: String
}

/// A page of `FilterLogEvents`.
struct FilteredPage: Sendable {
    var events: [LogEvent]
    var nextToken: String?
}

extension LogDatabase {
    /// `PutLogEvents`: stores the events AWS would accept and says which it rejected.
    func put(group: String, stream: String, events: [InputLogEvent]) throws -> RejectedLogEvents {
        guard let groupRecord = try self.group(group) else { throw LogsError.groupNotFound }
        guard try self.stream(group: group, name: stream) != nil else { throw LogsError.streamNotFound }
        guard !events.isEmpty else { throw LogsError.missing("logEvents") }
        guard events.count <= LogsLimits.maxBatchEvents else {
            throw LogsError.invalid("The batch of log events in a single PutLogEvents request cannot be more than \(LogsLimits.maxBatchEvents).")
        }
        guard zip(events, events.dropFirst()).allSatisfy({ pair in pair.0.timestamp <= pair.1.timestamp }) else { throw LogsError.unsorted }
        let now = now()
        var rejected = RejectedLogEvents()
        let oldest = now - LogsLimits.maxEventAgeMilliseconds
        let expiry = groupRecord.retentionInDays.map { now - Int64($0) * LogsLimits.dayMilliseconds }
        var accepted: [InputLogEvent] = []
        for (index, event) in events.enumerated() {
            if event.timestamp > now + LogsLimits.maxEventFutureMilliseconds {
                rejected.tooNewStartIndex = rejected.tooNewStartIndex ?? index
            } else if event.timestamp < oldest {
                rejected.tooOldEndIndex = index + 1
            } else if let expiry, event.timestamp < expiry {
                rejected.expiredEndIndex = index + 1
            } else {
                accepted.append(event)
            }
        }
        try insert(group: group, stream: stream, events: accepted, ingestion: now)
        return rejected
    }

    /// The server's own lines (see ``LogStore/append(group:stream:lines:)``), in one transaction:
    /// creates the groups and streams that are missing, stores the lines in order, and deletes the
    /// groups' expired events now and then.
    func append(_ lines: [StampedLine]) throws {
        guard !lines.isEmpty else { return }
        let ingestion = now()
        try connection.execute("BEGIN IMMEDIATE")
        do {
            var streams: [String: Set<String>] = [:]
            for line in lines { streams[line.group, default: []].insert(line.stream) }
            for (group, names) in streams {
                if try self.group(group) == nil { try createGroup(group, tags: [:]) }
                for name in names where try stream(group: group, name: name) == nil {
                    try createStream(group: group, name: name)
                }
            }
            let statement = try connection.cachedStatement(
                "INSERT INTO log_events (group_name, stream_name, timestamp, ingestion, message) VALUES (?1, ?2, ?3, ?4, ?5)")
            for line in lines {
                try statement.bind(line.group, at: 1)
                try statement.bind(line.stream, at: 2)
                try statement.bind(line.timestamp, at: 3)
                try statement.bind(ingestion, at: 4)
                try statement.bind(line.message, at: 5)
                try statement.execute()
            }
            for (group, names) in streams {
                for name in names {
                    let stamps = lines.lazy.filter { $0.group == group && $0.stream == name }.map(\.timestamp)
                    try updateStream(group: group, name: name, first: stamps.min() ?? ingestion, last: stamps.max() ?? ingestion, ingestion: ingestion)
                }
                if lastExpiry[group].map({ ingestion - $0 >= LogsLimits.expiryIntervalMilliseconds }) ?? true {
                    lastExpiry[group] = ingestion
                    try expire(group)
                }
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// Widens a stream's first and last event timestamps and sets its last ingestion time.
    private func updateStream(group: String, name: String, first: Int64, last: Int64, ingestion: Int64) throws {
        let update = try connection.cachedStatement(
            """
            UPDATE log_streams SET first_event = MIN(COALESCE(first_event, ?3), ?3), last_event = MAX(COALESCE(last_event, ?4), ?4),
                last_ingestion = ?5 WHERE group_name = ?1 AND name = ?2
            """)
        try update.bind(group, at: 1)
        try update.bind(name, at: 2)
        try update.bind(first, at: 3)
        try update.bind(last, at: 4)
        try update.bind(ingestion, at: 5)
        try update.execute()
    }

    private func insert(group: String, stream: String, events: [InputLogEvent], ingestion: Int64) throws {
        guard !events.isEmpty else { return }
        try connection.execute("BEGIN IMMEDIATE")
        do {
            let statement = try connection.prepare(
                "INSERT INTO log_events (group_name, stream_name, timestamp, ingestion, message) VALUES (?1, ?2, ?3, ?4, ?5)")
            for event in events {
                try statement.bind(group, at: 1)
                try statement.bind(stream, at: 2)
                try statement.bind(event.timestamp, at: 3)
                try statement.bind(ingestion, at: 4)
                try statement.bind(event.message, at: 5)
                try statement.execute()
            }
            try updateStream(
                group: group, name: stream, first: events.map(\.timestamp).min() ?? ingestion, last: events.map(\.timestamp).max() ?? ingestion,
                ingestion: ingestion)
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            throw error
        }
    }

    /// `GetLogEvents`. Tokens are `f/<key>` (events after the key) and `b/<key>` (events before
    /// it); a page with no events hands back the token it was given, which is how callers know
    /// they reached the end.
    func events(
        group: String, stream: String, startTime: Int64?, endTime: Int64?, limit: Int, token: String?, startFromHead: Bool
    ) throws -> EventPage {
        guard try self.group(group) != nil else { throw LogsError.groupNotFound }
        guard try self.stream(group: group, name: stream) != nil else { throw LogsError.streamNotFound }
        try expire(group)
        var forward = startFromHead
        var after: EventKey?
        var before: EventKey?
        if let token {
            guard let key = EventKey(text: token.dropFirst(2)), token.hasPrefix("f/") || token.hasPrefix("b/") else { throw LogsError.badToken }
            forward = token.hasPrefix("f/")
            if forward { after = key } else { before = key }
        }
        var sql = "SELECT id, stream_name, timestamp, ingestion, message FROM log_events WHERE group_name = ?1 AND stream_name = ?2"
        sql += " AND timestamp >= ?3 AND timestamp < ?4"
        if after != nil { sql += " AND (timestamp > ?5 OR (timestamp = ?5 AND id > ?6))" }
        if before != nil { sql += " AND (timestamp < ?5 OR (timestamp = ?5 AND id < ?6))" }
        sql += forward ? " ORDER BY timestamp, id" : " ORDER BY timestamp DESC, id DESC"
        sql += " LIMIT \(limit)"
        let statement = try connection.prepare(sql)
        try statement.bind(group, at: 1)
        try statement.bind(stream, at: 2)
        try statement.bind(startTime ?? Int64.min, at: 3)
        try statement.bind(endTime ?? Int64.max, at: 4)
        if let key = after ?? before {
            try statement.bind(key.timestamp, at: 5)
            try statement.bind(key.id, at: 6)
        }
        var events = try Self.rows(statement)
        if !forward { events.reverse() }
        guard let first = events.first, let last = events.last else {
            let key = after ?? before ?? EventKey.origin
            return EventPage(
                events: [], nextForwardToken: forward ? token ?? "f/\(key.text)" : "f/\(key.text)",
                nextBackwardToken: forward ? "b/\(key.text)" : token ?? "b/\(key.text)")
        }
        let firstKey = EventKey(timestamp: first.timestamp, id: first.id)
        let lastKey = EventKey(timestamp: last.timestamp, id: last.id)
        return EventPage(events: events, nextForwardToken: "f/\(lastKey.text)", nextBackwardToken: "b/\(firstKey.text)")
    }

    /// `FilterLogEvents`: the group's events (of the named streams, or of the streams starting
    /// with `prefix`) in time order, from `startTime` to `endTime` (both inclusive).
    func filter(
        group: String, streams names: [String]?, prefix: String?, startTime: Int64?, endTime: Int64?, pattern: FilterPattern, limit: Int,
        token: String?
    ) throws -> FilteredPage {
        guard try self.group(group) != nil else { throw LogsError.groupNotFound }
        try expire(group)
        var after = EventKey.origin
        if let token {
            guard let key = EventKey(text: Substring(token)) else { throw LogsError.badToken }
            after = key
        }
        let wanted = names.map(Set.init)
        let statement = try connection.prepare(
            """
            SELECT id, stream_name, timestamp, ingestion, message FROM log_events WHERE group_name = ?1
                AND timestamp >= ?2 AND timestamp <= ?3 AND (timestamp > ?4 OR (timestamp = ?4 AND id > ?5))
                ORDER BY timestamp, id
            """)
        try statement.bind(group, at: 1)
        try statement.bind(startTime ?? Int64.min, at: 2)
        try statement.bind(endTime ?? Int64.max, at: 3)
        try statement.bind(after.timestamp, at: 4)
        try statement.bind(after.id, at: 5)
        var events: [LogEvent] = []
        while try statement.step() {
            let event = Self.row(statement)
            if let wanted, !wanted.contains(event.streamName) { continue }
            if let prefix, !event.streamName.hasPrefix(prefix) { continue }
            guard pattern.matches(event.message) else { continue }
            if events.count == limit {
                let last = events[events.count - 1]
                return FilteredPage(events: events, nextToken: EventKey(timestamp: last.timestamp, id: last.id).text)
            }
            events.append(event)
        }
        return FilteredPage(events: events, nextToken: nil)
    }

    static func rows(_ statement: SQLiteStatement) throws -> [LogEvent] {
        var events: [LogEvent] = []
        while try statement.step() { events.append(row(statement)) }
        return events
    }

    static func row(_ statement: SQLiteStatement) -> LogEvent {
        LogEvent(
            id: statement.int64(0), streamName: statement.string(1), timestamp: statement.int64(2), ingestionTime: statement.int64(3),
            message: statement.string(4))
    }
}
