import CSQLite

/// An SQLite result code, primary or extended (connections open with `SQLITE_OPEN_EXRESCODE`).
///
/// A struct rather than an enum, so every code SQLite may add is representable. `~=` lets a
/// primary code match all of its extended codes:
///
/// ```swift
/// switch error.code {
/// case .constraint: ...   // also SQLITE_CONSTRAINT_UNIQUE, _PRIMARYKEY, ...
/// default: ...
/// }
/// ```
struct SQLiteResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
    /// The C value.
    var rawValue: Int32

    /// Wraps a C result code.
    init(rawValue: Int32) {
        self.rawValue = rawValue
    }

    /// The primary code: the low 8 bits of an extended code.
    var primary: SQLiteResultCode { SQLiteResultCode(rawValue: rawValue & 0xFF) }

    /// SQLite's English description of the code.
    var description: String {
        "\(rawValue) (\(String(cString: sqlite3_errstr(rawValue))))"
    }

    /// Matches `code` against `pattern`: exactly when `pattern` is extended, by primary code otherwise.
    static func ~= (pattern: SQLiteResultCode, code: SQLiteResultCode) -> Bool {
        if pattern.rawValue & ~0xFF != 0 { return pattern == code }
        return pattern == code.primary
    }

    static let ok = SQLiteResultCode(rawValue: SQLITE_OK)
    static let error = SQLiteResultCode(rawValue: SQLITE_ERROR)
    static let busy = SQLiteResultCode(rawValue: SQLITE_BUSY)
    static let locked = SQLiteResultCode(rawValue: SQLITE_LOCKED)
    static let noMemory = SQLiteResultCode(rawValue: SQLITE_NOMEM)
    static let readOnly = SQLiteResultCode(rawValue: SQLITE_READONLY)
    static let ioError = SQLiteResultCode(rawValue: SQLITE_IOERR)
    static let corrupt = SQLiteResultCode(rawValue: SQLITE_CORRUPT)
    static let full = SQLiteResultCode(rawValue: SQLITE_FULL)
    static let cantOpen = SQLiteResultCode(rawValue: SQLITE_CANTOPEN)
    static let constraint = SQLiteResultCode(rawValue: SQLITE_CONSTRAINT)
    static let mismatch = SQLiteResultCode(rawValue: SQLITE_MISMATCH)
    static let misuse = SQLiteResultCode(rawValue: SQLITE_MISUSE)
    static let notADatabase = SQLiteResultCode(rawValue: SQLITE_NOTADB)
    static let row = SQLiteResultCode(rawValue: SQLITE_ROW)
    static let done = SQLiteResultCode(rawValue: SQLITE_DONE)

    static let constraintUnique = SQLiteResultCode(rawValue: SQLITE_CONSTRAINT | (8 << 8))
    static let constraintPrimaryKey = SQLiteResultCode(rawValue: SQLITE_CONSTRAINT | (6 << 8))
    static let constraintForeignKey = SQLiteResultCode(rawValue: SQLITE_CONSTRAINT | (3 << 8))
    static let constraintNotNull = SQLiteResultCode(rawValue: SQLITE_CONSTRAINT | (5 << 8))
}

/// A failed SQLite call: the extended result code, SQLite's message, and the SQL that was running.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    /// The extended result code.
    var code: SQLiteResultCode
    /// The extended result code as SQLite defines it (e.g. 2067 for `SQLITE_CONSTRAINT_UNIQUE`).
    public var extendedResultCode: Int32 { code.rawValue }
    /// The primary result code (e.g. 19 for `SQLITE_CONSTRAINT`).
    public var primaryResultCode: Int32 { code.primary.rawValue }
    /// SQLite's message (`sqlite3_errmsg`), or the code's description.
    public var message: String
    /// The statement that failed, if any.
    public var sql: String?

    init(code: SQLiteResultCode, message: String, sql: String? = nil) {
        self.code = code
        self.message = message
        self.sql = sql
    }

    /// The error of the last failed call on `db`: its extended code and message.
    init(connection db: OpaquePointer?, code: Int32, sql: String? = nil) {
        let message = db.flatMap { sqlite3_errmsg($0) }.map { String(cString: $0) } ?? String(cString: sqlite3_errstr(code))
        self.init(code: SQLiteResultCode(rawValue: code), message: message, sql: sql)
    }

    /// Whether the failure is a constraint violation (unique, primary key, foreign key, not null, ...).
    public var isConstraintViolation: Bool { code.primary == .constraint }

    /// Whether the database was locked by someone else past the busy timeout (`SQLITE_BUSY`): at
    /// open, another process has it (see `Sources/CSQLiteWALBuffer`).
    public var isBusy: Bool { code.primary == .busy }

    public var description: String {
        var text = "SQLite error \(code): \(message)"
        if let sql { text += " [SQL: \(sql)]" }
        return text
    }
}
