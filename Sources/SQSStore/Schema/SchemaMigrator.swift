import Logging

/// One named, numbered step of the schema: SQL run once, inside the migrator's transaction.
struct SchemaMigration: Sendable {
    /// A stable name, recorded in `schema_migrations` (e.g. `"v1-queues-messages"`).
    var identifier: String
    /// The statements to run.
    var sql: String
}

/// Brings a database's schema up to date by running named migrations in order.
///
/// The schema version is `PRAGMA user_version`: the number of migrations applied. Opening runs the
/// missing migrations, all in one `BEGIN IMMEDIATE` transaction that also records each one in
/// `schema_migrations` and bumps `user_version`, so a crash leaves the old schema intact. A
/// database whose version is higher than ``migrations``'s count was written by a newer sqslite and
/// is refused with ``SQLiteStoreError/newerSchema(found:supported:)``; a database stamped with
/// another application's `application_id` is refused too.
struct SchemaMigrator {
    /// Stamped into `PRAGMA application_id`: "SQSL".
    static let applicationID: Int32 = 0x5351_534C

    /// The migrations, oldest first; a migration's version is its position + 1. Append only.
    var migrations: [SchemaMigration]

    /// The schema version this build writes.
    var latestVersion: Int32 { Int32(migrations.count) }

    /// Creates a migrator over `migrations` (by default, ``Migrations/all``).
    init(migrations: [SchemaMigration] = Migrations.all) {
        self.migrations = migrations
    }

    /// Runs the missing migrations on `connection`; returns the identifiers applied now.
    @discardableResult
    func migrate(_ connection: SQLiteConnection, logger: Logger) throws -> [String] {
        let applicationID = Int32(truncatingIfNeeded: try connection.queryInt64("PRAGMA application_id"))
        guard applicationID == 0 || applicationID == Self.applicationID else {
            throw SQLiteStoreError.foreignDatabase(applicationID: applicationID)
        }
        // A quick check outside the transaction: refuse a newer database without taking the write lock.
        let current = try version(of: connection)
        if current > latestVersion { throw SQLiteStoreError.newerSchema(found: current, supported: latestVersion) }
        if current == latestVersion { return [] }

        try connection.execute("BEGIN IMMEDIATE")
        do {
            // Read again under the write lock: another process may have migrated meanwhile.
            let start = try version(of: connection)
            if start > latestVersion { throw SQLiteStoreError.newerSchema(found: start, supported: latestVersion) }
            try connection.execute(
                """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY,
                    identifier TEXT NOT NULL UNIQUE,
                    applied_at INTEGER NOT NULL
                )
                """)
            var applied: [String] = []
            for index in Int(start)..<migrations.count {
                let migration = migrations[index]
                logger.info("Applying schema migration", metadata: ["version": "\(index + 1)", "migration": "\(migration.identifier)"])
                try connection.execute(migration.sql)
                let record = try connection.prepare(
                    "INSERT INTO schema_migrations (version, identifier, applied_at) VALUES (?1, ?2, CAST(strftime('%s', 'now') AS INTEGER))")
                defer { record.finalize() }
                try record.bind(Int64(index + 1), at: 1)
                try record.bind(migration.identifier, at: 2)
                try record.execute()
                applied.append(migration.identifier)
            }
            // Pragmas take no parameters; both values are integers this code controls.
            try connection.execute("PRAGMA user_version = \(latestVersion)")
            try connection.execute("PRAGMA application_id = \(Self.applicationID)")
            try connection.execute("COMMIT")
            connection.clearStatementCache()
            return applied
        } catch {
            if connection.isInTransaction { try? connection.execute("ROLLBACK") }
            throw error
        }
    }

    /// The database's schema version (`PRAGMA user_version`).
    func version(of connection: SQLiteConnection) throws(SQLiteError) -> Int32 {
        Int32(truncatingIfNeeded: try connection.queryInt64("PRAGMA user_version"))
    }
}
