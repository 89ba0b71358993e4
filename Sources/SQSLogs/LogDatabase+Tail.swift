import SQSStore

/// A page of the admin page's live tail.
public struct TailPage: Sendable {
    /// The matching events, oldest first.
    public var events: [LogEvent]
    /// Where the next poll starts: the position of the newest event looked at (matching or not),
    /// `nil` when the group has none.
    public var token: String?
}

extension LogDatabase {
    /// The admin page's live tail of a group (empty when the group does not exist): without
    /// `after`, the newest `limit` events that match; with it, the matching events after that
    /// position, oldest first. At most ``LogsLimits/maxTailScan`` events are looked at per call,
    /// so a pattern that matches nothing costs a bounded scan; the token then continues from there.
    func tail(group: String, pattern: FilterPattern, after token: String?, limit: Int) throws -> TailPage {
        guard try self.group(group) != nil else { return TailPage(events: [], token: token) }
        var after: EventKey?
        if let token {
            guard let key = EventKey(text: Substring(token)) else { throw LogsError.badToken }
            after = key
        }
        let statement: SQLiteStatement
        if let after {
            statement = try connection.prepare(
                """
                SELECT id, stream_name, timestamp, ingestion, message FROM log_events WHERE group_name = ?1
                    AND (timestamp > ?2 OR (timestamp = ?2 AND id > ?3)) ORDER BY timestamp, id
                """)
            try statement.bind(after.timestamp, at: 2)
            try statement.bind(after.id, at: 3)
        } else {
            statement = try connection.prepare(
                "SELECT id, stream_name, timestamp, ingestion, message FROM log_events WHERE group_name = ?1 ORDER BY timestamp DESC, id DESC")
        }
        try statement.bind(group, at: 1)
        var events: [LogEvent] = []
        var newest = after
        var scanned = 0
        while events.count < limit, scanned < LogsLimits.maxTailScan, try statement.step() {
            let event = Self.row(statement)
            scanned += 1
            let key = EventKey(timestamp: event.timestamp, id: event.id)
            if after != nil || newest == nil { newest = key }
            if pattern.matches(event.message) { events.append(event) }
        }
        if after == nil { events.reverse() }
        return TailPage(events: events, token: newest?.text)
    }
}
