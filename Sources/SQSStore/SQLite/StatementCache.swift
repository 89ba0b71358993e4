/// Prepared statements kept by their SQL text and reused for every later run of the same SQL.
///
/// Statements are prepared with `SQLITE_PREPARE_PERSISTENT`. The cache belongs to one
/// ``SQLiteConnection`` and, like it, is used only on the writer queue.
struct StatementCache {
    private var statements: [String: SQLiteStatement] = [:]

    /// The number of cached statements.
    var count: Int { statements.count }

    /// The cached statement for `sql`, prepared on `db` the first time.
    mutating func statement(for sql: String, db: OpaquePointer) throws(SQLiteError) -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        let statement = try SQLiteStatement(db: db, sql: sql, persistent: true)
        statements[sql] = statement
        return statement
    }

    /// Finalizes and forgets every statement (before the schema changes or the connection closes).
    mutating func removeAll() {
        for statement in statements.values { statement.finalize() }
        statements.removeAll()
    }
}

@available(*, unavailable)
extension StatementCache: Sendable {}
