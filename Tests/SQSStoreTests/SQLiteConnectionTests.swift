import CSQLite
import Testing

@testable import SQSStore

@Suite("SQLite connection")
struct SQLiteConnectionTests {
    @Test("SQLite keeps no allocation statistics (each would take a process-wide mutex per allocation)")
    func allocationStatisticsAreOff() throws {
        let connection = try SQLiteConnection(path: nil)
        defer { connection.close() }
        try connection.execute("CREATE TABLE t (body TEXT); INSERT INTO t VALUES (printf('%.*c', 4000, 'x'))")
        #expect(sqlite3_memory_used() == 0)
    }
}
