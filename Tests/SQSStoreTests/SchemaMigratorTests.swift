import FoundationEssentials
import SQSEngine
import Testing

@testable import SQSStore

@Suite("SchemaMigrator")
struct SchemaMigratorTests {
    let logger = StoreFixtures.logger

    @Test("an empty file is migrated to the latest version, once")
    func migratesEmptyFile() async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let path = directory + "/sqslite.db"
            #expect(FileManager.default.createFile(atPath: path, contents: Data()))
            let store = try SQLiteQueueStore(path: path, logger: logger)
            let snapshot = try await store.load()
            #expect(snapshot.queues.isEmpty && snapshot.messages.isEmpty)
            #expect(snapshot.highestQueueID == 0 && snapshot.highestSequence == 0)
            try await store.close()

            // Reopening applies nothing new.
            let connection = try SQLiteConnection(path: path)
            let migrator = SchemaMigrator()
            #expect(try migrator.version(of: connection) == migrator.latestVersion)
            #expect(try migrator.migrate(connection, logger: logger).isEmpty)
            #expect(try connection.queryInt64("SELECT count(*) FROM schema_migrations") == Int64(Migrations.all.count))
            #expect(try connection.queryString("SELECT identifier FROM schema_migrations WHERE version = 1") == Migrations.v1.identifier)
            #expect(try connection.queryInt64("PRAGMA application_id") == Int64(SchemaMigrator.applicationID))
            #expect(try connection.queryString("PRAGMA journal_mode") == "wal")
            #expect(try connection.queryInt64("PRAGMA foreign_keys") == 1)
            connection.close()
        }
    }

    @Test("a database from a newer sqslite is refused and left untouched")
    func refusesNewerSchema() async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let path = directory + "/sqslite.db"
            let store = try SQLiteQueueStore(path: path, logger: logger)
            try await store.commit([.saveQueue(StoreFixtures.queue(id: 1))])
            try await store.close()
            let connection = try SQLiteConnection(path: path)
            try connection.execute("PRAGMA user_version = 99")
            connection.close()

            let supported = SchemaMigrator().latestVersion
            #expect(throws: SQLiteStoreError.newerSchema(found: 99, supported: supported)) {
                _ = try SQLiteQueueStore(path: path, logger: logger)
            }
            let check = try SQLiteConnection(path: path)
            #expect(try check.queryInt64("PRAGMA user_version") == 99)
            #expect(try check.queryInt64("SELECT count(*) FROM queues") == 1)
            check.close()
        }
    }

    @Test("a database of another application is refused")
    func refusesForeignDatabase() async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let path = directory + "/other.db"
            let connection = try SQLiteConnection(path: path)
            try connection.execute("PRAGMA application_id = 42; CREATE TABLE t (x)")
            connection.close()
            #expect(throws: SQLiteStoreError.foreignDatabase(applicationID: 42)) {
                _ = try SQLiteQueueStore(path: path, logger: logger)
            }
        }
    }

    @Test("a failing migration rolls back entirely")
    func failingMigrationRollsBack() throws {
        let connection = try SQLiteConnection(path: nil)
        let migrator = SchemaMigrator(migrations: [
            SchemaMigration(identifier: "one", sql: "CREATE TABLE a (x INTEGER)"),
            SchemaMigration(identifier: "two", sql: "CREATE TABLE b (x INTEGER); THIS IS NOT SQL"),
        ])
        #expect(throws: SQLiteError.self) { try migrator.migrate(connection, logger: logger) }
        #expect(try migrator.version(of: connection) == 0)
        #expect(try connection.queryInt64("SELECT count(*) FROM sqlite_schema") == 0)
        #expect(!connection.isInTransaction)
        connection.close()
    }

    @Test("a result code matches its extended codes")
    func resultCodeMatching() {
        let unique = SQLiteResultCode.constraintUnique
        #expect(unique.primary == .constraint)
        #expect(SQLiteResultCode.constraint ~= unique)
        #expect(!(SQLiteResultCode.constraintPrimaryKey ~= unique))
        #expect(!(SQLiteResultCode.busy ~= unique))
    }
}
