import Dispatch
import Logging
import SQSEngine
import Synchronization

/// The durable ``QueueStore``: queues, messages, FIFO deduplication ids and message move tasks in
/// an SQLite database, written with group commit.
///
/// ```swift
/// let store = try SQLiteQueueStore(path: "\(dataDirectory)/sqslite.db", logger: logger)
/// let snapshot = try await store.load()
/// store.submit([.insertMessage(message)]) { result in ... }   // never blocks
/// try await store.close()
/// ```
///
/// ## Threading
/// Every SQLite call runs on one private serial `DispatchQueue`, the writer; never on the caller's
/// thread (an actor or an event loop). ``submit(_:completion:)`` only appends to a pending list
/// under a `Mutex` and schedules a drain when none is scheduled. The writer takes *all* pending
/// submissions, applies them in submission order in one `BEGIN IMMEDIATE … COMMIT` transaction,
/// then calls each completion. Submissions that arrive while a commit (and its fsync) runs wait
/// for the next transaction, so under load many submissions share one commit. The WAL is copied
/// back into the database file by ``WALCheckpointer`` on a third connection and queue, so no
/// commit waits for a checkpoint.
///
/// If a group transaction fails, it is rolled back and its submissions are retried one by one up
/// to the first that fails. From then on every submission fails with
/// ``SQLiteStoreError/afterFailure`` (it may depend on the failed one) until
/// ``resumeAfterFailure()``: the engine reloads with ``load()`` first, which runs after every
/// earlier submission. Completions are called on the writer queue and must not block, or handed
/// back to the thread that submitted (see ``SubmitterThreads``).
///
/// ## Differences from ``MemoryQueueStore``
/// For the changes the engine makes, both stores end in the same state. On changes the engine
/// never makes, this store is stricter and fails the submission: `saveQueue` with the account,
/// region and name of a queue that has another id, `insertMessage` with a sequence already
/// stored, and `saveDeduplication` into a queue that does not exist (a foreign key). Messages are
/// found only by sequence, so `deleteQueue` and `purgeMessages` delete the messages they list
/// (the engine lists all of the queue's), where the memory store drops all of the queue's
/// anyway. Deduplication ids are loaded in (queue, scope, id) order.
public final class SQLiteQueueStore: QueueStore {
    /// The most submissions applied in one transaction; a longer backlog takes several.
    static let maxSubmissionsPerTransaction = 4096

    private struct Pending: Sendable {
        var submissions: [StoreWriter.Submission] = []
        var drainScheduled = false
        var closed = false
        /// A submission failed: later ones fail too until ``resumeAfterFailure()``.
        var failed = false
    }

    private let queue: DispatchQueue
    private let writer: QueueConfined<StoreWriter>
    /// Reads messages on demand on its own serial queue and connection (for a file database);
    /// for a private in-memory database it shares the writer's queue and connection.
    private let readerQueue: DispatchQueue
    private let reader: QueueConfined<StoreReader>
    private let ownsReaderConnection: Bool
    private let pending = Mutex(Pending())
    private let logger: Logger
    /// Checkpoints the WAL beside the writer (file databases only).
    let checkpointer: WALCheckpointer?
    private let transactions = Atomic<Int>(0)
    private let committed = Atomic<Int>(0)
    /// Where the writer's wake and the completions run (see ``init(path:synchronous:logger:submitters:)``).
    private let submitters: any SubmitterThreads

    /// Opens (creating if needed) the database and brings its schema up to date.
    ///
    /// This blocks while the file is opened and migrated (on the writer queue): call it at
    /// startup, not on an event loop.
    /// - Parameters:
    ///   - path: The database file, e.g. `<data dir>/sqslite.db` (its directory must exist), or
    ///     `nil` for a private in-memory database that disappears on close.
    ///   - synchronous: How durable each commit is; see ``Synchronous``.
    ///   - logger: Receives migrations, failed commits and close.
    ///   - submitters: The threads that submit. By default the writer is woken at once and calls
    ///     the completions itself. The server passes its event loops: the wake then runs after the
    ///     work already queued on the calling loop (its other requests), so their submissions join
    ///     the same commit instead of waiting for the next, and each commit's completions go back
    ///     to each loop in one task. Submissions are applied in the order of the calls either way.
    /// - Throws: ``SQLiteError`` if the file cannot be opened or migrated;
    ///   ``SQLiteStoreError/newerSchema(found:supported:)`` for a database written by a newer sqslite.
    public init(
        path: String?, synchronous: Synchronous = .normal, logger: Logger,
        submitters: any SubmitterThreads = WriterRunsCompletions()
    ) throws {
        self.submitters = submitters
        var logger = logger
        logger[metadataKey: "store"] = "\(path ?? ":memory:")"
        let queue = DispatchQueue(label: "sqslite.store.writer", qos: .userInitiated)
        self.queue = queue
        self.logger = logger
        let writer = try queue.sync {
            QueueConfined(try StoreWriter(path: path, synchronous: synchronous, logger: logger), queue: queue)
        }
        self.writer = writer
        checkpointer = queue.sync { writer.withValue { $0.checkpointer } }
        if let path {
            let readerQueue = DispatchQueue(label: "sqslite.store.reader", qos: .userInitiated)
            self.readerQueue = readerQueue
            reader = try readerQueue.sync { QueueConfined(try StoreReader(path: path), queue: readerQueue) }
            ownsReaderConnection = true
        } else {
            readerQueue = queue
            reader = queue.sync { QueueConfined(writer.withValue { StoreReader(connection: $0.connection) }, queue: queue) }
            ownsReaderConnection = false
        }
        logger.debug("Opened SQLite queue store", metadata: ["synchronous": "\(synchronous.rawValue)"])
    }

    /// The number of transactions committed so far (a group commit counts once).
    public var transactionsCommitted: Int { transactions.load(ordering: .relaxed) }

    /// The number of submissions committed so far.
    public var submissionsCommitted: Int { committed.load(ordering: .relaxed) }

    /// Reads everything the store holds (see ``StoreSnapshot``), on the writer queue.
    public func load() async throws -> StoreSnapshot {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<StoreSnapshot, any Error>) in
            queue.async { [writer] in
                continuation.resume(with: Result { try writer.withValue { try $0.load() } })
            }
        }
    }

    /// Reads every queue and the metadata of every message, on the writer queue (so after every
    /// earlier submission).
    public func loadWorkingSet() async throws -> WorkingSet {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<WorkingSet, any Error>) in
            queue.async { [writer] in
                continuation.resume(with: Result { try writer.withValue { try $0.loadWorkingSet() } })
            }
        }
    }

    /// Reads messages on the reader queue; sees every commit whose completion has been called.
    public func fetchMessages(queueID: Int64, sequences: [Int64]) async throws -> [MessageRecord] {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<[MessageRecord], any Error>) in
            readerQueue.async { [reader] in
                continuation.resume(with: Result { try reader.withValue { try $0.fetchMessages(queueID: queueID, sequences: sequences) } })
            }
        }
    }

    /// Queues `changes` for the next group commit; `completion` is called once they are committed,
    /// or with the error if they failed (``SQLiteStoreError/closed`` after ``close()``): on the
    /// submitting thread if ``SubmitterThreads/current()`` named it, else on the writer queue.
    /// Completions of one thread are called in submission order.
    ///
    /// Never blocks; submissions are applied in the order of the calls.
    public func submit(_ changes: [StoreChange], completion: @escaping @Sendable (Result<Void, any Error>) -> Void) {
        enum Action {
            case rejected
            case queued
            case scheduleDrain
        }
        let home = submitters.current()
        let action = pending.withLock { pending -> Action in
            if pending.closed || pending.failed { return .rejected }
            pending.submissions.append(StoreWriter.Submission(changes: changes, completion: completion, home: home))
            if pending.drainScheduled { return .queued }
            pending.drainScheduled = true
            return .scheduleDrain
        }
        switch action {
        case .queued:
            break
        case .scheduleDrain:
            submitters.afterQueuedWork { self.queue.async { self.drain() } }
        case .rejected:
            let error = pending.withLock { $0.closed } ? SQLiteStoreError.closed : SQLiteStoreError.afterFailure
            queue.async { completion(.failure(error)) }
        }
    }

    /// Accepts submissions again after a failed one (see the type's documentation).
    public func resumeAfterFailure() {
        pending.withLock { $0.failed = false }
    }

    /// Whether submissions are being refused after a failure (for tests and health checks).
    public var isRefusingAfterFailure: Bool { pending.withLock { $0.failed } }

    /// Commits everything pending, finalizes the statements, checkpoints the WAL into the database
    /// file (`wal_checkpoint(TRUNCATE)`) and closes the connection. Later submissions fail with
    /// ``SQLiteStoreError/closed``. Calling it again does nothing.
    public func close() async throws {
        pending.withLock { $0.closed = true }
        let ownsReaderConnection = self.ownsReaderConnection
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            readerQueue.async { [reader] in
                reader.withValue { $0.close(ownsConnection: ownsReaderConnection) }
                continuation.resume()
            }
        }
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async {
                self.drain()
                continuation.resume(with: Result { try self.writer.withValue { try $0.close() } })
            }
        }
        logger.debug(
            "Closed SQLite queue store",
            metadata: [
                "transactions": "\(transactionsCommitted)",
                "checkpoints": "\(checkpointer?.checkpointsCompleted ?? 0)",
                "inlineCheckpoints": "\(checkpointer?.inlineCheckpoints ?? 0)",
            ])
    }

    /// Caps the database at its current size plus `extraPages` pages (`PRAGMA max_page_count`), so
    /// that writes beyond fail with `SQLITE_FULL` as on a full disk; a large value lifts the cap.
    /// For tests of the failure path.
    func limitSize(extraPages: Int) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            queue.async { [writer] in
                continuation.resume(with: Result {
                    try writer.withValue { writer in
                        let current = try writer.pageCount()
                        _ = try writer.limitPageCount(Int(current) + extraPages)
                    }
                })
            }
        }
    }

    /// The number of submissions waiting for the writer (for tests).
    var pendingSubmissionCount: Int { pending.withLock { $0.submissions.count } }

    /// Stops the writer queue from starting new work until ``resumeWriter()`` (for tests that need
    /// submissions to pile up deterministically). Work already running finishes.
    func suspendWriter() { queue.suspend() }

    /// Undoes one ``suspendWriter()``.
    func resumeWriter() { queue.resume() }

    /// Runs on the writer queue: commits pending submissions until none is left.
    private func drain() {
        while true {
            let (batch, refused) = pending.withLock { pending -> ([StoreWriter.Submission], Bool) in
                if pending.submissions.isEmpty {
                    pending.drainScheduled = false
                    return ([], false)
                }
                let batch = pending.submissions
                pending.submissions = []
                return (batch, pending.failed)
            }
            if batch.isEmpty { return }
            if refused {
                deliver(Array(repeating: .failure(SQLiteStoreError.afterFailure), count: batch.count), to: batch[...])
                continue
            }
            var start = 0
            var failed = false
            while start < batch.count {
                let end = min(start + Self.maxSubmissionsPerTransaction, batch.count)
                let chunk = batch[start..<end]
                let results: [Result<Void, any Error>]
                if failed {
                    results = Array(repeating: .failure(SQLiteStoreError.afterFailure), count: chunk.count)
                } else {
                    results = writer.withValue { writer in
                        writer.commit(chunk) { transactions.add(1, ordering: .relaxed) }
                    }
                }
                if !failed, results.contains(where: { if case .failure = $0 { true } else { false } }) {
                    failed = true
                    pending.withLock { $0.failed = true }
                }
                // Counted before the completions run, so a caller that saw its completion also
                // sees it counted.
                let succeeded = results.reduce(0) { count, result in
                    if case .success = result { return count + 1 }
                    return count
                }
                committed.add(succeeded, ordering: .relaxed)
                deliver(results, to: chunk)
                start = end
            }
        }
    }

    /// Calls each submission's completion with its result: on the writer for those without a home
    /// thread, and for the others in one task per home thread, in submission order.
    private func deliver(_ results: [Result<Void, any Error>], to submissions: ArraySlice<StoreWriter.Submission>) {
        var groups: [(home: any AnyObject & Sendable, calls: [Completion])] = []
        for (submission, result) in zip(submissions, results) {
            guard let home = submission.home else {
                submission.completion(result)
                continue
            }
            let call = Completion(completion: submission.completion, result: result)
            if let index = groups.firstIndex(where: { $0.home === home }) {
                groups[index].calls.append(call)
            } else {
                groups.append((home, [call]))
            }
        }
        for group in groups {
            let calls = group.calls
            submitters.run({ for call in calls { call.completion(call.result) } }, on: group.home)
        }
    }

    /// A completion and the result it is called with.
    private struct Completion: Sendable {
        var completion: @Sendable (Result<Void, any Error>) -> Void
        var result: Result<Void, any Error>
    }
}
