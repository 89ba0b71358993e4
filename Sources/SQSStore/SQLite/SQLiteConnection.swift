import CSQLite
import CSQLiteWALBuffer

/// One libsqlite3 connection with its statement cache.
///
/// The connection is opened with `SQLITE_OPEN_NOMUTEX`: SQLite's "multi-thread" mode, in which a
/// connection may be used from any thread but by only one thread at a time. ``SQLiteQueueStore``
/// guarantees that by confining the connection to its serial writer queue; the type is therefore
/// not `Sendable`. `SQLITE_OPEN_EXRESCODE` makes every call report extended result codes.
package final class SQLiteConnection {
    /// The C handle; `nil` once closed.
    private(set) var handle: OpaquePointer?
    /// Statements reused by their SQL text.
    private var cache = StatementCache()
    /// Where the database lives, or `nil` for a private in-memory database.
    let path: String?

    /// Turns SQLite's allocation statistics off, once, before the process's first connection opens
    /// (`sqlite3_config` only works before SQLite initializes; every connection opens here, and a
    /// `static let` runs its initializer once, with other threads waiting). With them on, SQLite's
    /// default, every allocation inside SQLite takes one process-wide mutex: a few per stored
    /// message. Nothing in sqslite reads them (`sqlite3_memory_used`, heap limits).
    private static let processConfiguration: Void = {
        _ = csqlite_config_memstatus(0)
    }()

    /// The VFS connections open with, registered once after ``processConfiguration``: SQLite's
    /// "unix-excl" (a database is this process's alone while open: no file locks per transaction),
    /// except that a transaction's WAL frames reach the file in one write rather than two per
    /// frame (`Sources/CSQLiteWALBuffer`). `nil` (the default VFS) if it could not be registered.
    /// A commit is in the file when it returns, as with the default VFS.
    private static let walBufferVFS: String? = {
        _ = processConfiguration
        return csqlite_wal_buffer_register() == SQLITE_OK ? CSQLITE_WAL_BUFFER_VFS : nil
    }()

    /// Opens (creating if needed) the database at `path`, or a private in-memory database when
    /// `path` is `nil`, and applies the connection pragmas: WAL journal, `synchronous`, foreign
    /// keys on, and a busy timeout. With `readOnly` it opens an existing file for reading only (a
    /// second connection beside the writer's, in WAL mode) and sets only the busy timeout.
    package init(
        path: String?, synchronous: SQLiteQueueStore.Synchronous = .normal, busyTimeoutMilliseconds: Int32 = 5000, readOnly: Bool = false
    ) throws(SQLiteError) {
        self.path = path
        _ = Self.processConfiguration
        var db: OpaquePointer?
        let access = readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE
        let flags = access | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_EXRESCODE
        let code = sqlite3_open_v2(path ?? ":memory:", &db, flags, Self.walBufferVFS)
        guard code == SQLITE_OK, let db else {
            let error = SQLiteError(connection: db, code: code, sql: nil)
            sqlite3_close_v2(db)
            throw error
        }
        handle = db
        // SQLite opens a write-protected file read-only without saying so; every write would then
        // fail. Refuse it at once instead, so the server does not start "healthy" and fail later.
        if !readOnly, path != nil, sqlite3_db_readonly(db, "main") == 1 {
            close()
            throw SQLiteError(
                code: SQLiteResultCode(rawValue: SQLITE_READONLY),
                message: "the database file is read-only (check its permissions and owner)", sql: nil)
        }
        do {
            try check(sqlite3_busy_timeout(db, busyTimeoutMilliseconds), sql: nil)
            if readOnly { return }
            // journal_mode answers with a row: "wal" on disk, "memory" for an in-memory database.
            _ = try queryString("PRAGMA journal_mode = WAL")
            try execute("PRAGMA synchronous = \(synchronous.pragmaValue)")
            try execute("PRAGMA foreign_keys = ON")
        } catch {
            close()
            throw error
        }
    }

    deinit {
        close()
    }

    /// Runs one or more SQL statements that return no rows (not cached: for schema and pragmas).
    package func execute(_ sql: String) throws(SQLiteError) {
        var message: UnsafeMutablePointer<CChar>?
        let code = sqlite3_exec(handle, sql, nil, nil, &message)
        guard code == SQLITE_OK else {
            let text = message.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
            sqlite3_free(message)
            // sqlite3_exec reports the primary code; the connection still knows the extended one.
            let extended = handle.map { sqlite3_extended_errcode($0) } ?? code
            throw SQLiteError(code: SQLiteResultCode(rawValue: extended), message: text, sql: sql)
        }
    }

    /// The first column of the first row of `sql` as an integer (0 when there is no row).
    package func queryInt64(_ sql: String) throws(SQLiteError) -> Int64 {
        let statement = try prepare(sql)
        defer { statement.finalize() }
        return try statement.step() ? statement.int64(0) : 0
    }

    /// The first column of the first row of `sql` as text (`nil` when there is no row).
    package func queryString(_ sql: String) throws(SQLiteError) -> String? {
        let statement = try prepare(sql)
        defer { statement.finalize() }
        return try statement.step() ? statement.optionalString(0) : nil
    }

    /// Prepares a one-off statement; the caller finalizes it.
    package func prepare(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        guard let handle else { throw SQLiteError(code: .misuse, message: "connection is closed", sql: sql) }
        return try SQLiteStatement(db: handle, sql: sql, persistent: false)
    }

    /// The cached statement for `sql`: prepared once, reset after each use by the caller.
    package func cachedStatement(_ sql: String) throws(SQLiteError) -> SQLiteStatement {
        guard let handle else { throw SQLiteError(code: .misuse, message: "connection is closed", sql: sql) }
        return try cache.statement(for: sql, db: handle)
    }

    /// Finalizes every cached statement (required before the schema changes).
    func clearStatementCache() {
        cache.removeAll()
    }

    /// The number of rows the last INSERT, UPDATE or DELETE changed.
    package var changes: Int {
        handle.map { Int(sqlite3_changes64($0)) } ?? 0
    }

    /// The name of the VFS the connection opened with (``walBufferVFS`` unless it could not be
    /// registered).
    var vfsName: String? {
        var vfs: UnsafeMutablePointer<sqlite3_vfs>?
        guard let handle, sqlite3_file_control(handle, "main", SQLITE_FCNTL_VFS_POINTER, &vfs) == SQLITE_OK,
            let name = vfs?.pointee.zName
        else { return nil }
        return String(cString: name)
    }

    /// Whether a transaction is open (the connection is not in autocommit mode).
    var isInTransaction: Bool {
        handle.map { sqlite3_get_autocommit($0) == 0 } ?? false
    }

    /// Finalizes the cached statements and closes the connection. Safe to call twice.
    package func close() {
        cache.removeAll()
        // close_v2 defers the close if a one-off statement is still alive somewhere.
        sqlite3_close_v2(handle)
        handle = nil
    }

    private func check(_ code: Int32, sql: String?) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw SQLiteError(connection: handle, code: code, sql: sql) }
    }
}

@available(*, unavailable)
extension SQLiteConnection: Sendable {}
