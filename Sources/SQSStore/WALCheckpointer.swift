import CSQLite
import Dispatch
import Logging
import Synchronization

/// Copies the WAL back into the database file on its own connection and serial queue, so that a
/// commit never waits for a checkpoint and its two fsyncs.
///
/// SQLite's automatic checkpoint runs inside the `COMMIT` that takes the WAL past 1,000 frames, on the
/// writer: every submission of the next group waits for it. Measured with `wrk -t2 -c16` SendMessage
/// (8 s runs, release build), the writer's `COMMIT` took 47 µs on average with it and 33 µs without,
/// and the requests' p99 fell from 5.3–5.8 ms to 1.9–2.5 ms with this checkpointer.
///
/// So the writer's connection has the automatic checkpoint off and a WAL hook instead (see
/// ``install(on:)``). After a commit that leaves at least ``framesBeforeCheckpoint`` frames in the
/// WAL that the last checkpoint did not copy, the hook asks for a `PASSIVE` checkpoint here unless
/// one is already running. A passive checkpoint never blocks the writer; frames committed while it
/// runs wait for the next one, and SQLite starts the WAL over once a checkpoint has caught up.
///
/// Under sustained writes a checkpoint never quite catches up, so the WAL only starts over through
/// the writer's own checkpoint when it reaches ``framesBeforeInlineCheckpoint`` frames, as SQLite's
/// automatic checkpoint would do, which keeps it bounded. For that one to have little to copy, the
/// checkpoints here come every ``framesPerCatchUpCheckpoint`` frames once the WAL is past
/// ``framesBeforeCatchUp`` frames.
///
/// Asking for one whenever the WAL held 1,000 frames started a checkpoint after nearly every commit,
/// each copying a few frames and calling `fdatasync` twice: 6,367 checkpoints in 8 s of `wrk -t2
/// -c16` SendMessage, 506 now. Waiting for 1,000 uncopied frames all the way instead left the
/// writer's own checkpoint up to 1,000 frames to copy, and doubled the p99 of SendMessage.
final class WALCheckpointer: Sendable {
    /// The WAL frames (pages) not yet copied that ask for a checkpoint: the WAL size at which
    /// SQLite's automatic checkpoint runs.
    static let framesBeforeCheckpoint: Int32 = 1000
    /// The WAL size at which the writer checkpoints itself rather than let the WAL grow further.
    static let framesBeforeInlineCheckpoint: Int32 = 4_000
    /// The WAL size past which checkpoints come every ``framesPerCatchUpCheckpoint`` frames, so that
    /// the writer's own checkpoint at ``framesBeforeInlineCheckpoint`` finds nearly everything copied.
    static let framesBeforeCatchUp: Int32 = 3_000
    /// The uncopied frames that ask for a checkpoint past ``framesBeforeCatchUp``.
    static let framesPerCatchUpCheckpoint: Int32 = 100

    private let queue: DispatchQueue
    private let connection: QueueConfined<SQLiteConnection>
    private let running = Atomic<Bool>(false)
    private let completed = Atomic<Int>(0)
    private let inline = Atomic<Int>(0)
    /// How many WAL frames had been copied into the database when the last checkpoint finished.
    private let backfilled = Atomic<Int32>(0)
    /// The WAL size after the previous commit; a smaller one means the WAL started over.
    private let lastFrames = Atomic<Int32>(0)
    private let logger: Logger

    /// Opens a second read-write connection to the database at `path` (already created and migrated).
    init(path: String, synchronous: SQLiteQueueStore.Synchronous, logger: Logger) throws {
        let queue = DispatchQueue(label: "sqslite.store.checkpointer", qos: .utility)
        self.queue = queue
        self.logger = logger
        connection = try queue.sync {
            QueueConfined(try SQLiteConnection(path: path, synchronous: synchronous), queue: queue)
        }
    }

    /// The checkpoints this queue has completed.
    var checkpointsCompleted: Int { completed.load(ordering: .relaxed) }

    /// The checkpoints the writer ran itself because the WAL reached ``framesBeforeInlineCheckpoint``.
    var inlineCheckpoints: Int { inline.load(ordering: .relaxed) }

    /// Turns `writer`'s automatic checkpoint off and hooks its commits to this checkpointer.
    ///
    /// Call on the writer's queue; `self` must outlive the hook (the writer keeps it and calls
    /// ``uninstall(from:)`` before closing the connection).
    func install(on writer: SQLiteConnection) {
        guard let db = writer.handle else { return }
        // Sets SQLite's own hook (none, for 0); the hook below replaces it.
        sqlite3_wal_autocheckpoint(db, 0)
        sqlite3_wal_hook(db, walCommitHook, Unmanaged.passUnretained(self).toOpaque())
    }

    /// Removes the hook from `writer`.
    func uninstall(from writer: SQLiteConnection) {
        guard let db = writer.handle else { return }
        sqlite3_wal_hook(db, nil, nil)
    }

    /// Called by the hook on the writer's thread, inside the `COMMIT` that left `frames` frames in the WAL.
    fileprivate func committed(frames: Int32, writer db: OpaquePointer?) {
        if frames < lastFrames.exchange(frames, ordering: .relaxed) {
            backfilled.store(0, ordering: .relaxed)
        }
        if frames >= Self.framesBeforeInlineCheckpoint {
            // Allowed inside the hook: SQLite's own automatic checkpoint does the same.
            var copied: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, &copied)
            if code == SQLITE_OK {
                backfilled.store(copied, ordering: .relaxed)
                inline.add(1, ordering: .relaxed)
            }
            return
        }
        guard Self.needsCheckpoint(frames: frames, copied: backfilled.load(ordering: .relaxed)) else { return }
        guard !running.exchange(true, ordering: .acquiringAndReleasing) else { return }
        queue.async { self.checkpoint() }
    }

    /// Whether a WAL of `frames` frames, of which the last checkpoint had copied `copied`, asks for
    /// a checkpoint: once ``framesBeforeCheckpoint`` frames are uncopied, or
    /// ``framesPerCatchUpCheckpoint`` past ``framesBeforeCatchUp``. A WAL no longer than what was
    /// copied has started over since, and all of it is uncopied.
    static func needsCheckpoint(frames: Int32, copied: Int32) -> Bool {
        guard frames >= framesBeforeCheckpoint else { return false }
        let uncopied = copied >= frames ? frames : frames - copied
        return uncopied >= (frames >= framesBeforeCatchUp ? framesPerCatchUpCheckpoint : framesBeforeCheckpoint)
    }

    private func checkpoint() {
        defer { running.store(false, ordering: .releasing) }
        connection.withValue { connection in
            guard let db = connection.handle else { return }
            var copied: Int32 = 0
            let code = sqlite3_wal_checkpoint_v2(db, nil, SQLITE_CHECKPOINT_PASSIVE, nil, &copied)
            switch code {
            case SQLITE_OK:
                backfilled.store(copied, ordering: .relaxed)
                completed.add(1, ordering: .relaxed)
            case SQLITE_BUSY:
                // Another checkpoint (the writer's inline one) holds the lock: the next commit asks again.
                break
            default:
                logger.warning("WAL checkpoint failed", metadata: ["error": "\(SQLiteError(connection: db, code: code, sql: nil))"])
            }
        }
    }

    /// Stops the checkpointer from starting new work until ``resume()`` (for tests).
    func suspend() { queue.suspend() }

    /// Undoes one ``suspend()``.
    func resume() { queue.resume() }

    /// Waits for a running checkpoint and closes the connection; later requests do nothing.
    func close() {
        queue.sync { connection.withValue { $0.close() } }
    }
}

/// The WAL hook: a C function, so it finds its ``WALCheckpointer`` through the context pointer.
private func walCommitHook(
    context: UnsafeMutableRawPointer?, db: OpaquePointer?, name: UnsafePointer<CChar>?, frames: Int32
) -> Int32 {
    guard let context else { return SQLITE_OK }
    Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue().committed(frames: frames, writer: db)
    return SQLITE_OK
}
