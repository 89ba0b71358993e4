import CSQLite

/// A prepared statement: bind parameters (1-based), step, read columns (0-based), reset.
///
/// Used only on the owning connection's writer queue; it is not `Sendable`. A statement that
/// fails is reset and its bindings cleared at once, so a cached statement never holds a
/// half-run state or stale data; ``finalize()`` (or `deinit`) releases the handle.
package final class SQLiteStatement {
    /// The C handle; `nil` once finalized.
    private(set) var handle: OpaquePointer?
    /// The owning connection's handle, for error messages.
    private let db: OpaquePointer
    /// The statement's SQL text.
    let sql: String

    /// Prepares `sql` on `db`; `persistent` hints SQLite that the statement will be reused many times.
    init(db: OpaquePointer, sql: String, persistent: Bool) throws(SQLiteError) {
        self.db = db
        self.sql = sql
        var statement: OpaquePointer?
        let flags = persistent ? UInt32(SQLITE_PREPARE_PERSISTENT) : 0
        let code = sqlite3_prepare_v3(db, sql, -1, flags, &statement, nil)
        guard code == SQLITE_OK, let statement else {
            sqlite3_finalize(statement)
            throw SQLiteError(connection: db, code: code, sql: sql)
        }
        handle = statement
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Releases the handle. Safe to call twice.
    package func finalize() {
        sqlite3_finalize(handle)
        handle = nil
    }

    // MARK: Binding

    /// Binds an integer to the 1-based parameter `index`.
    package func bind(_ value: Int64, at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_int64(handle, index, value))
    }

    /// Binds an optional integer (NULL when `nil`).
    package func bind(_ value: Int64?, at index: Int32) throws(SQLiteError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// Binds text; SQLite copies the UTF-8 bytes, so no Swift-side copy is made for native strings.
    ///
    /// Reads the bytes through the non-mutating `utf8.withContiguousStorageIfAvailable`; `withUTF8`
    /// is `mutating`, and the local copy it needs costs a retain and a release per bound string.
    package func bind(_ value: String, at index: Int32) throws(SQLiteError) {
        let code =
            value.utf8.withContiguousStorageIfAvailable { bindText($0, at: index) }
            ?? {
                var copy = value
                return copy.withUTF8 { bindText($0, at: index) }
            }()
        try check(code)
    }

    /// Binds `value` as text without a copy while `body` runs (it steps the statement), then binds NULL
    /// in its place; `nil` binds NULL.
    ///
    /// SQLite's own copy (`SQLITE_TRANSIENT`, as ``bind(_:at:)-(String,_)`` does) costs a `malloc`
    /// and a `free` per string. The bytes are only valid inside the string's
    /// `withContiguousStorageIfAvailable` closure, so the statement runs inside it and the parameter
    /// no longer points at them once the closure returns.
    package func withText<R>(_ value: String?, at index: Int32, _ body: () throws(SQLiteError) -> R) throws(SQLiteError) -> R {
        guard let value else {
            try bindNull(at: index)
            return try body()
        }
        let result: Result<R, SQLiteError>? = value.utf8.withContiguousStorageIfAvailable { utf8 in
            defer { sqlite3_bind_null(handle, index) }
            let code = bindText(utf8, at: index, copied: false)
            guard code == SQLITE_OK else { return .failure(SQLiteError(connection: db, code: code, sql: sql)) }
            do throws(SQLiteError) {
                return .success(try body())
            } catch {
                return .failure(error)
            }
        }
        if let result { return try result.get() }
        try bind(value, at: index)
        return try body()
    }

    /// Binds UTF-8 bytes: copied by SQLite, or (`copied: false`) read in place, valid until rebound.
    private func bindText(_ utf8: UnsafeBufferPointer<UInt8>, at index: Int32, copied: Bool = true) -> Int32 {
        guard let base = utf8.baseAddress, !utf8.isEmpty else {
            // A non-NULL pointer, so SQLite stores an empty string rather than NULL.
            return sqlite3_bind_text(handle, index, "", 0, csqlite_transient())
        }
        return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
            sqlite3_bind_text(handle, index, $0, Int32(utf8.count), copied ? csqlite_transient() : nil)
        }
    }

    /// Binds optional text (NULL when `nil`).
    package func bind(_ value: String?, at index: Int32) throws(SQLiteError) {
        if let value { try bind(value, at: index) } else { try bindNull(at: index) }
    }

    /// Binds a blob, copied by SQLite; an empty or `nil` blob binds NULL.
    package func bind(blob value: [UInt8]?, at index: Int32) throws(SQLiteError) {
        guard let value, !value.isEmpty else { return try bindNull(at: index) }
        let code = value.withUnsafeBytes { bytes in
            sqlite3_bind_blob(handle, index, bytes.baseAddress, Int32(bytes.count), csqlite_transient())
        }
        try check(code)
    }

    /// Binds NULL.
    package func bindNull(at index: Int32) throws(SQLiteError) {
        try check(sqlite3_bind_null(handle, index))
    }

    // MARK: Running

    /// Steps once: `true` when a row is available, `false` when the statement is done.
    /// On failure the statement is reset and its bindings cleared before the error is thrown.
    package func step() throws(SQLiteError) -> Bool {
        let code = sqlite3_step(handle)
        switch code {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        default:
            let error = SQLiteError(connection: db, code: code, sql: sql)
            reset()
            throw error
        }
    }

    /// Runs a statement that returns no rows, then resets it for reuse.
    package func execute() throws(SQLiteError) {
        defer { reset() }
        while try step() {}
    }

    /// Resets the statement and clears its bindings (bound blobs and text are released).
    package func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    // MARK: Columns

    /// Whether column `index` of the current row is NULL.
    package func isNull(_ index: Int32) -> Bool {
        sqlite3_column_type(handle, index) == SQLITE_NULL
    }

    /// The integer in column `index`.
    package func int64(_ index: Int32) -> Int64 {
        sqlite3_column_int64(handle, index)
    }

    /// The integer in column `index`, `nil` when NULL.
    package func optionalInt64(_ index: Int32) -> Int64? {
        isNull(index) ? nil : int64(index)
    }

    /// The text in column `index` (empty when NULL).
    package func string(_ index: Int32) -> String {
        guard let text = sqlite3_column_text(handle, index) else { return "" }
        let count = Int(sqlite3_column_bytes(handle, index))
        return String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self)
    }

    /// Calls `body` with the UTF-8 bytes of the text in column `index` (empty when NULL), read in
    /// place without making a `String`. The buffer is valid only during the call.
    package func withText<R>(_ index: Int32, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let text = sqlite3_column_text(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return body(UnsafeBufferPointer(start: text, count: text == nil ? 0 : count))
    }

    /// The text in column `index`, `nil` when NULL.
    package func optionalString(_ index: Int32) -> String? {
        isNull(index) ? nil : string(index)
    }

    /// Calls `body` with the bytes of the blob in column `index` (empty when NULL). The buffer is
    /// valid only during the call.
    func withBlob<R>(_ index: Int32, _ body: (UnsafeRawBufferPointer) throws(SQLiteStoreError) -> R) throws(SQLiteStoreError) -> R {
        let pointer = sqlite3_column_blob(handle, index)
        let count = Int(sqlite3_column_bytes(handle, index))
        return try body(UnsafeRawBufferPointer(start: pointer, count: pointer == nil ? 0 : count))
    }

    private func check(_ code: Int32) throws(SQLiteError) {
        guard code == SQLITE_OK else { throw SQLiteError(connection: db, code: code, sql: sql) }
    }
}

@available(*, unavailable)
extension SQLiteStatement: Sendable {}
