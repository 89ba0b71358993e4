import Dispatch
import Logging
import SQSStore

/// The call record's SQLite copy (`--record-calls-in-database`): `calls.db` beside `sqslite.db`
/// (in memory with `--in-memory`), every call kept, not only the ring's last ones.
///
/// Calls are appended in batches on a serial queue of its own (one transaction per batch, at most
/// every ``flushInterval``), so a request never waits for SQLite.
///
/// ## Sendable
/// The connection is used only on ``queue``; the pending batch is behind a lock.
final class CallDatabase: @unchecked Sendable {
    /// The longest a recorded call waits before it is written.
    static let flushInterval: DispatchTimeInterval = .milliseconds(50)

    private let queue = DispatchQueue(label: "sqslite.calls.database")
    private let connection: SQLiteConnection
    private let logger: Logger
    private let pending = PendingCalls()

    /// The path it writes to, or `nil` in memory.
    let path: String?

    init(path: String?, logger: Logger) throws {
        self.path = path
        self.logger = logger
        connection = try SQLiteConnection(path: path)
        try connection.execute(
            """
            CREATE TABLE IF NOT EXISTS calls (
                id INTEGER PRIMARY KEY, time INTEGER NOT NULL, service TEXT NOT NULL, action TEXT NOT NULL,
                account TEXT NOT NULL, principal TEXT NOT NULL, resource TEXT, status INTEGER NOT NULL, error_code TEXT,
                duration_us INTEGER NOT NULL, request_id TEXT NOT NULL, body TEXT);
            CREATE INDEX IF NOT EXISTS calls_by_time ON calls (time);
            """)
    }

    /// The largest id stored (calls continue from it after a restart).
    func highestID() -> Int {
        queue.sync { Int((try? connection.queryInt64("SELECT coalesce(max(id), 0) FROM calls")) ?? 0) }
    }

    /// Queues a call for the next batch.
    func append(_ call: CallRecord) {
        if pending.append(call) {
            queue.asyncAfter(deadline: .now() + Self.flushInterval) { [self] in write(pending.take()) }
        }
    }

    /// Writes what is pending now.
    func flush() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                write(pending.take())
                continuation.resume()
            }
        }
    }

    private func write(_ calls: [CallRecord]) {
        guard !calls.isEmpty else { return }
        do {
            try connection.execute("BEGIN")
            let statement = try connection.cachedStatement(
                """
                INSERT OR REPLACE INTO calls (id, time, service, action, account, principal, resource, status, error_code, duration_us, request_id, body)
                VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
                """)
            for call in calls {
                try statement.bind(Int64(call.id), at: 1)
                try statement.bind(call.time, at: 2)
                try statement.bind(call.service, at: 3)
                try statement.bind(call.action, at: 4)
                try statement.bind(call.account, at: 5)
                try statement.bind(call.principal, at: 6)
                try statement.bind(call.resource, at: 7)
                try statement.bind(Int64(call.status), at: 8)
                try statement.bind(call.errorCode, at: 9)
                try statement.bind(Int64((call.durationMs * 1000).rounded()), at: 10)
                try statement.bind(call.requestId, at: 11)
                try statement.bind(call.body, at: 12)
                try statement.execute()
            }
            try connection.execute("COMMIT")
        } catch {
            try? connection.execute("ROLLBACK")
            logger.warning("cannot store recorded calls", metadata: ["count": "\(calls.count)", "error": "\(error)"])
        }
    }

    /// The stored calls that pass `filter`, oldest first (after writing what is pending).
    func calls(_ filter: CallFilter) async -> [CallRecord] {
        await flush()
        return await withCheckedContinuation { (continuation: CheckedContinuation<[CallRecord], Never>) in
            queue.async { [self] in
                continuation.resume(returning: (try? query(filter)) ?? [])
            }
        }
    }

    private func query(_ filter: CallFilter) throws -> [CallRecord] {
        var conditions: [String] = []
        var bindings: [(Int32, String)] = []
        var numbers: [(Int32, Int64)] = []
        if let service = filter.service { conditions.append("service = ?1"); bindings.append((1, service)) }
        if let action = filter.action { conditions.append("action = ?2"); bindings.append((2, action)) }
        if let resource = filter.resource { conditions.append("resource = ?3"); bindings.append((3, resource)) }
        if let since = filter.since { conditions.append("time >= ?4"); numbers.append((4, since)) }
        if let after = filter.afterID { conditions.append("id > ?5"); numbers.append((5, Int64(after))) }
        let condition = conditions.isEmpty ? "" : "WHERE " + conditions.joined(separator: " AND ")
        let statement = try connection.prepare(
            """
            SELECT id, time, service, action, account, principal, resource, status, error_code, duration_us, request_id, body
            FROM calls \(condition) ORDER BY id LIMIT ?6
            """)
        for (index, value) in bindings { try statement.bind(value, at: index) }
        for (index, value) in numbers { try statement.bind(value, at: index) }
        try statement.bind(Int64(filter.limit), at: 6)
        var result: [CallRecord] = []
        while try statement.step() {
            result.append(
                CallRecord(
                    id: Int(statement.int64(0)), time: statement.int64(1), service: statement.string(2), action: statement.string(3),
                    account: statement.string(4), principal: statement.string(5), resource: statement.optionalString(6),
                    status: Int(statement.int64(7)), errorCode: statement.optionalString(8), durationMs: Double(statement.int64(9)) / 1000,
                    requestId: statement.string(10), body: statement.optionalString(11)))
        }
        return result
    }

    /// Deletes every stored call.
    func clear() async {
        await flush()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                try? connection.execute("DELETE FROM calls")
                continuation.resume()
            }
        }
    }
}
