import CSQLiteWALBuffer
import Foundation
import Testing

@testable import SQSStore

/// The VFS that writes a transaction's WAL frames in one write (`Sources/CSQLiteWALBuffer`): file
/// connections open with it, and each commit is in the WAL file, visible to another connection,
/// when it returns, whatever its size.
@Suite("WAL buffer VFS")
struct WALBufferVFSTests {
    private static func withDatabase(_ body: (String) throws -> Void) async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            try body(directory + "/test.db")
        }
    }

    @Test("file connections open with the WAL buffer VFS")
    func connectionsUseTheVFS() async throws {
        try await Self.withDatabase { path in
            let writer = try SQLiteConnection(path: path)
            defer { writer.close() }
            let reader = try SQLiteConnection(path: path, readOnly: true)
            defer { reader.close() }
            #expect(writer.vfsName == CSQLITE_WAL_BUFFER_VFS)
            #expect(reader.vfsName == CSQLITE_WAL_BUFFER_VFS)
        }
    }

    @Test("each commit is in the WAL file and read by a second connection as soon as it returns")
    func everyCommitIsVisibleAtOnce() async throws {
        try await Self.withDatabase { path in
            let writer = try SQLiteConnection(path: path)
            defer { writer.close() }
            try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
            let reader = try SQLiteConnection(path: path, readOnly: true)
            defer { reader.close() }
            for id in 1...200 {
                try writer.execute("BEGIN IMMEDIATE; INSERT INTO t VALUES (\(id), printf('%.*c', 300, 'x')); COMMIT")
                #expect(try reader.queryInt64("SELECT count(*) FROM t") == Int64(id))
                #expect(try reader.queryInt64("SELECT sum(length(body)) FROM t") == Int64(id * 300))
            }
            // Every frame reached the file: the WAL holds at least one frame per commit.
            let walSize = try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int ?? 0
            #expect(walSize >= 32 + 200 * (24 + 4096))
        }
    }

    @Test("a transaction larger than the buffer (124 KiB) is written whole, and so is one past 128 KiB")
    func largeTransactionsAreWrittenWhole() async throws {
        try await Self.withDatabase { path in
            do {
                let writer = try SQLiteConnection(path: path)
                defer { writer.close() }
                try writer.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
                let reader = try SQLiteConnection(path: path, readOnly: true)
                defer { reader.close() }
                // 31 pages (a single write of 127,720 bytes would fit), 33 pages (past 128 KiB) and 2 MiB.
                for (round, rows) in [(0, 31), (1, 33), (2, 500)].map({ ($0.0, $0.1) }) {
                    var sql = "BEGIN IMMEDIATE;"
                    for row in 0..<rows {
                        sql += "INSERT INTO t VALUES (\(round * 1_000 + row), printf('%.*c', 4000, char(65 + \(row % 26))));"
                    }
                    try writer.execute(sql + "COMMIT")
                    #expect(try reader.queryInt64("SELECT count(*) FROM t WHERE id / 1000 = \(round)") == Int64(rows))
                }
                #expect(try reader.queryString("PRAGMA integrity_check") == "ok")
            }
            // Reopened (the WAL replayed on open), everything is there.
            let reopened = try SQLiteConnection(path: path)
            defer { reopened.close() }
            #expect(try reopened.queryInt64("SELECT count(*) FROM t") == 31 + 33 + 500)
            #expect(try reopened.queryInt64("SELECT sum(length(body)) FROM t") == Int64((31 + 33 + 500) * 4000))
            #expect(try reopened.queryString("PRAGMA integrity_check") == "ok")
        }
    }
}
