import Foundation
import SQSStore

/// The SQL behind ``LogStore``: groups, streams and events in three tables.
///
/// ## Sendable
/// Used only on ``LogStore``'s serial queue (the connection is not thread-safe); the
/// `@unchecked Sendable` lets the queue's closures capture it.
final class LogDatabase: @unchecked Sendable {
    let connection: SQLiteConnection
    let now: @Sendable () -> Int64
    /// The retention of the server's own groups (``LogsLimits/serverGroupPrefixes``) without a policy.
    let defaultRetentionDays: Int?
    /// When each group's expired events were last deleted by the server's appends.
    var lastExpiry: [String: Int64] = [:]

    /// The schema version this code writes (`PRAGMA user_version`).
    static let schemaVersion: Int64 = 1

    init(path: String?, defaultRetentionDays: Int? = nil, now: @escaping @Sendable () -> Int64) throws {
        self.connection = try SQLiteConnection(path: path)
        self.now = now
        self.defaultRetentionDays = defaultRetentionDays
        if try connection.queryInt64("PRAGMA user_version") < Self.schemaVersion {
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS log_groups (
                    name TEXT PRIMARY KEY, created INTEGER NOT NULL, retention_days INTEGER, tags TEXT NOT NULL DEFAULT '{}');
                CREATE TABLE IF NOT EXISTS log_streams (
                    group_name TEXT NOT NULL REFERENCES log_groups(name) ON DELETE CASCADE, name TEXT NOT NULL,
                    created INTEGER NOT NULL, first_event INTEGER, last_event INTEGER, last_ingestion INTEGER,
                    PRIMARY KEY (group_name, name));
                CREATE TABLE IF NOT EXISTS log_events (
                    id INTEGER PRIMARY KEY AUTOINCREMENT, group_name TEXT NOT NULL, stream_name TEXT NOT NULL,
                    timestamp INTEGER NOT NULL, ingestion INTEGER NOT NULL, message TEXT NOT NULL,
                    FOREIGN KEY (group_name, stream_name) REFERENCES log_streams(group_name, name) ON DELETE CASCADE);
                CREATE INDEX IF NOT EXISTS log_events_by_stream ON log_events (group_name, stream_name, timestamp, id);
                CREATE INDEX IF NOT EXISTS log_events_by_group ON log_events (group_name, timestamp, id);
                PRAGMA user_version = \(Self.schemaVersion);
                """)
        }
    }

    // MARK: - Groups

    func createGroup(_ name: String, tags: [String: String]) throws {
        try Self.validateName(name, field: "logGroupName", allowed: Self.groupNameCharacters)
        guard try group(name) == nil else { throw LogsError.groupExists }
        let statement = try connection.prepare("INSERT INTO log_groups (name, created, tags) VALUES (?1, ?2, ?3)")
        try statement.bind(name, at: 1)
        try statement.bind(now(), at: 2)
        try statement.bind(Self.encode(tags), at: 3)
        try statement.execute()
    }

    func deleteGroup(_ name: String) throws {
        guard try group(name) != nil else { throw LogsError.groupNotFound }
        try run("DELETE FROM log_events WHERE group_name = ?1", name)
        try run("DELETE FROM log_streams WHERE group_name = ?1", name)
        try run("DELETE FROM log_groups WHERE name = ?1", name)
    }

    func group(_ name: String) throws -> LogGroup? {
        let statement = try connection.prepare("SELECT name, created, retention_days FROM log_groups WHERE name = ?1")
        try statement.bind(name, at: 1)
        guard try statement.step() else { return nil }
        return group(from: statement)
    }

    /// The group of a `name, created, retention_days` row, with its effective retention.
    private func group(from statement: SQLiteStatement) -> LogGroup {
        let name = statement.string(0)
        return LogGroup(
            name: name, creationTime: statement.int64(1), retentionInDays: statement.optionalInt64(2).map(Int.init) ?? defaultRetention(of: name))
    }

    /// The retention a group has without a policy: the default for the server's own groups.
    func defaultRetention(of group: String) -> Int? {
        LogsLimits.serverGroupPrefixes.contains(where: group.hasPrefix) ? defaultRetentionDays : nil
    }

    /// Groups by name, those starting with `prefix`.
    func groups(prefix: String?) throws -> [LogGroup] {
        let statement = try connection.prepare("SELECT name, created, retention_days FROM log_groups ORDER BY name")
        var result: [LogGroup] = []
        while try statement.step() {
            if let prefix, !statement.string(0).hasPrefix(prefix) { continue }
            result.append(group(from: statement))
        }
        return result
    }

    func setRetention(_ name: String, days: Int?) throws {
        if let days, !LogsLimits.retentionDays.contains(days) { throw LogsError.invalidRetention(days) }
        guard try group(name) != nil else { throw LogsError.groupNotFound }
        let statement = try connection.prepare("UPDATE log_groups SET retention_days = ?2 WHERE name = ?1")
        try statement.bind(name, at: 1)
        try statement.bind(days.map(Int64.init), at: 2)
        try statement.execute()
        try expire(name)
    }

    /// Deletes the group's events older than its retention period (its policy's, or the default).
    func expire(_ name: String) throws {
        guard let days = try group(name)?.retentionInDays else { return }
        let statement = try connection.prepare("DELETE FROM log_events WHERE group_name = ?1 AND timestamp < ?2")
        try statement.bind(name, at: 1)
        try statement.bind(now() - Int64(days) * LogsLimits.dayMilliseconds, at: 2)
        try statement.execute()
    }

    /// Deletes the expired events of every group.
    func expireAll() throws {
        for group in try groups(prefix: nil) where group.retentionInDays != nil {
            try expire(group.name)
        }
    }

    func tags(_ name: String) throws -> [String: String] {
        let statement = try connection.prepare("SELECT tags FROM log_groups WHERE name = ?1")
        try statement.bind(name, at: 1)
        guard try statement.step() else { throw LogsError.groupNotFound }
        return (try? JSONDecoder().decode([String: String].self, from: Data(statement.string(0).utf8))) ?? [:]
    }

    func setTags(_ name: String, _ tags: [String: String]) throws {
        let statement = try connection.prepare("UPDATE log_groups SET tags = ?2 WHERE name = ?1")
        try statement.bind(name, at: 1)
        try statement.bind(Self.encode(tags), at: 2)
        try statement.execute()
    }

    // MARK: - Streams

    func createStream(group: String, name: String) throws {
        try Self.validateName(name, field: "logStreamName", allowed: nil)
        guard try self.group(group) != nil else { throw LogsError.groupNotFound }
        guard try stream(group: group, name: name) == nil else { throw LogsError.streamExists }
        let statement = try connection.prepare("INSERT INTO log_streams (group_name, name, created) VALUES (?1, ?2, ?3)")
        try statement.bind(group, at: 1)
        try statement.bind(name, at: 2)
        try statement.bind(now(), at: 3)
        try statement.execute()
    }

    func deleteStream(group: String, name: String) throws {
        guard try self.group(group) != nil else { throw LogsError.groupNotFound }
        guard try stream(group: group, name: name) != nil else { throw LogsError.streamNotFound }
        try run("DELETE FROM log_events WHERE group_name = ?1 AND stream_name = ?2", group, name)
        try run("DELETE FROM log_streams WHERE group_name = ?1 AND name = ?2", group, name)
    }

    func stream(group: String, name: String) throws -> LogStream? {
        try streams(group: group, only: name).first
    }

    /// The group's streams by name (all of them, or the one named `only`).
    func streams(group: String, only: String? = nil) throws -> [LogStream] {
        let statement = try connection.prepare(
            "SELECT name, created, first_event, last_event, last_ingestion FROM log_streams WHERE group_name = ?1"
                + (only == nil ? "" : " AND name = ?2") + " ORDER BY name")
        try statement.bind(group, at: 1)
        if let only { try statement.bind(only, at: 2) }
        var result: [LogStream] = []
        while try statement.step() {
            result.append(
                LogStream(
                    name: statement.string(0), creationTime: statement.int64(1), firstEventTimestamp: statement.optionalInt64(2),
                    lastEventTimestamp: statement.optionalInt64(3), lastIngestionTime: statement.optionalInt64(4)))
        }
        return result
    }

    // MARK: - Helpers

    /// Runs a statement with text parameters.
    func run(_ sql: String, _ values: String...) throws {
        let statement = try connection.prepare(sql)
        for (index, value) in values.enumerated() {
            try statement.bind(value, at: Int32(index + 1))
        }
        try statement.execute()
    }

    static let groupNameCharacters = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-/#")

    /// 1 to 512 characters; a group name from `allowed`, a stream name without `:` or `*`.
    static func validateName(_ name: String, field: String, allowed: Set<Character>?) throws(LogsError) {
        let valid =
            !name.isEmpty && name.count <= LogsLimits.maxNameLength
            && (allowed.map { allowed in name.allSatisfy { allowed.contains($0) } } ?? !name.contains(where: { $0 == ":" || $0 == "*" }))
        guard valid else { throw LogsError.invalidName(field, name) }
    }

    static func encode(_ tags: [String: String]) -> String {
        (try? JSONEncoder().encode(tags)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}
