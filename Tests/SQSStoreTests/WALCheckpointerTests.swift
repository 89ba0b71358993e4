import FoundationEssentials
import SQSEngine
import Testing

@testable import SQSStore

/// The WAL is checkpointed beside the writer, and stays bounded when that falls behind.
@Suite("WAL checkpointer")
struct WALCheckpointerTests {
    let logger = StoreFixtures.logger

    /// The WAL file's size in frames (each a 24-byte header and a 4 KiB page, after a 32-byte header).
    private static func walFrames(_ path: String) throws -> Int {
        let size = (try FileManager.default.attributesOfItem(atPath: path + "-wal")[.size] as? Int) ?? 0
        return max(0, size - 32) / (24 + 4096)
    }

    /// Commits `commits` transactions of `perCommit` messages with 1 KiB bodies, from `first` on.
    private static func fill(_ store: SQLiteQueueStore, from first: Int64, commits: Int, perCommit: Int) async throws {
        let body = String(repeating: "b", count: 1024)
        for commit in 0..<commits {
            let base = first + Int64(commit * perCommit)
            try await store.commit((0..<perCommit).map { .insertMessage(StoreFixtures.message(queueID: 1, sequence: base + Int64($0), body: body)) })
        }
    }

    /// Opens a store at `path` with queue 1 saved, and its checkpointer.
    /// How many messages the database at `path` holds when opened again.
    private static func messagesAfterReopening(_ path: String) async throws -> Int {
        let reopened = try SQLiteQueueStore(path: path, logger: StoreFixtures.logger)
        let count = try await reopened.load().messages.count
        try await reopened.close()
        return count
    }

    private func openWithQueue(_ path: String) async throws -> (SQLiteQueueStore, WALCheckpointer) {
        let store = try SQLiteQueueStore(path: path, logger: logger)
        let checkpointer = try #require(store.checkpointer)
        try await store.commit([.saveQueue(StoreFixtures.queue(id: 1))])
        return (store, checkpointer)
    }

    @Test("a growing WAL is checkpointed on the checkpointer's connection, not by the writer")
    func checkpointsRunBesideTheWriter() async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let path = directory + "/sqslite.db"
            let (store, checkpointer) = try await openWithQueue(path)
            // About 3,000 frames: well past the 1,000 that ask for a checkpoint.
            try await Self.fill(store, from: 1, commits: 300, perCommit: 10)
            let deadline = ContinuousClock.now + .seconds(20)
            while checkpointer.checkpointsCompleted == 0 && ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            #expect(checkpointer.checkpointsCompleted > 0)
            #expect(checkpointer.inlineCheckpoints == 0)
            try await store.close()

            #expect(try await Self.messagesAfterReopening(path) == 3_000)
        }
    }

    @Test("with the checkpointer stalled, the writer checkpoints itself before the WAL passes its bound")
    func theWALStaysBoundedWhenTheCheckpointerStalls() async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let path = directory + "/sqslite.db"
            let (store, checkpointer) = try await openWithQueue(path)
            checkpointer.suspend()
            // About 15,000 frames, in commits of about 30 frames.
            try await Self.fill(store, from: 1, commits: 500, perCommit: 100)
            #expect(checkpointer.inlineCheckpoints > 0)
            #expect(checkpointer.checkpointsCompleted == 0)
            let frames = try Self.walFrames(path)
            #expect(frames < Int(WALCheckpointer.framesBeforeInlineCheckpoint) + 100, "WAL of \(frames) frames")
            checkpointer.resume()
            try await store.close()

            #expect(try await Self.messagesAfterReopening(path) == 50_000)
        }
    }

    @Test("a checkpoint is asked for per 1,000 uncopied frames, then per 100 near the writer's bound")
    func checkpointsWaitForUncopiedFrames() {
        typealias C = WALCheckpointer
        // Short WALs are left alone.
        #expect(!C.needsCheckpoint(frames: 999, copied: 0))
        #expect(C.needsCheckpoint(frames: 1_000, copied: 0))
        // After a checkpoint copied 1,200 frames, the next waits for 1,000 more.
        #expect(!C.needsCheckpoint(frames: 1_300, copied: 1_200))
        #expect(!C.needsCheckpoint(frames: 2_199, copied: 1_200))
        #expect(C.needsCheckpoint(frames: 2_200, copied: 1_200))
        // Near the bound at which the writer checkpoints itself, every 100 frames.
        #expect(C.framesBeforeCatchUp < C.framesBeforeInlineCheckpoint)
        #expect(!C.needsCheckpoint(frames: 3_050, copied: 3_000))
        #expect(C.needsCheckpoint(frames: 3_100, copied: 3_000))
        // A WAL that started over since is new from its first frame.
        #expect(C.needsCheckpoint(frames: 1_000, copied: 3_900))
        #expect(!C.needsCheckpoint(frames: 900, copied: 3_900))
    }

    @Test("an in-memory store has no checkpointer")
    func inMemoryHasNone() async throws {
        let store = try SQLiteQueueStore(path: nil, logger: logger)
        #expect(store.checkpointer == nil)
        try await store.close()
    }
}
