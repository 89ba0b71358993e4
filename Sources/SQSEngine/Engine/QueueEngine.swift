import Logging
import ServiceLifecycle

/// The queue engine: SQS semantics for every queue, with no knowledge of HTTP or SQL.
///
/// The engine keeps each queue's working state and decides every rule (visibility, delays,
/// retention, long polling); each change is handed to a ``QueueStore`` and the call returns only
/// once the store reports it durable. Time comes from an injected ``EngineClock``.
///
/// ```swift
/// let engine = QueueEngine(store: MemoryQueueStore(), clock: ManualClock(), logger: logger)
/// try await engine.start()
/// let key = QueueKey(account: "000000000000", region: "us-east-1", name: "orders")
/// _ = try await engine.createQueue(key, attributes: [:], tags: [:])
/// _ = try await engine.sendMessage(key, SendMessageInput(body: "hello"), senderID: "AIDA")
/// ```
///
/// As a `Service`, `run()` sweeps expired messages until graceful shutdown and then closes the store.
public actor QueueEngine: Service {
    let store: any QueueStore
    let clock: any EngineClock
    let configuration: EngineConfiguration
    let logger: Logger
    let observer: (any QueueEventObserver)?

    var queues: [QueueKey: QueueState] = [:]
    /// Each queue's `Policy`, kept in step with `queues` for reads from outside the actor.
    nonisolated let policies = QueuePolicies()
    var waiters = ReceiveWaiters()
    var highestQueueID: Int64 = 0
    var highestSequence: Int64 = 0
    var isShuttingDown = false
    /// When recently deleted queues were deleted (for QueueDeletedRecently; not persisted).
    var recentlyDeleted: [QueueKey: Timestamp] = [:]
    /// Message move tasks, oldest first, and the runners of the running ones.
    var moveTasks: [MoveTaskRecord] = []
    var moveTaskRunners: [String: Task<Void, Never>] = [:]
    /// A reload after a failed commit is under way.
    var isRecovering = false
    /// How many reloads after a failed commit have completed. A submission made before a reload
    /// completed is covered by it: its failure needs no reload of its own.
    var recoveriesCompleted = 0
    /// The store could not be read back after a failed commit: every change fails.
    var storeUnusable = false
    private var started = false

    /// Creates an engine over `store`. Call ``start()`` before use.
    public init(
        store: any QueueStore, clock: any EngineClock = SystemClock(), configuration: EngineConfiguration = .init(), logger: Logger,
        observer: (any QueueEventObserver)? = nil
    ) {
        self.observer = observer
        self.store = store
        self.clock = clock
        self.configuration = configuration
        self.logger = logger
    }

    /// Loads every queue and message from the store.
    public func start() async throws {
        guard !started else { return }
        let snapshot = try await store.loadWorkingSet()
        install(snapshot)
        started = true
        logger.debug("engine started", metadata: ["queues": "\(queues.count)", "messages": "\(snapshot.messages.count)"])
    }

    /// Replaces the working state with `snapshot`: at startup, and after a failed commit.
    ///
    /// Ids only grow (a rolled-back queue id or message sequence is not handed out again), waiting
    /// receives are woken to look at the new state, and move-task runners follow the tasks' status.
    private func install(_ snapshot: WorkingSet) {
        queues = [:]
        for record in snapshot.queues {
            queues[record.key] = QueueState(record: record)
        }
        policies.replaceAll(queues.compactMapValues { $0.record.attributes["Policy"] })
        let byID = Dictionary(uniqueKeysWithValues: queues.values.map { ($0.id, $0) })
        let now = clock.now()
        var perQueue: [Int64: Int] = [:]
        for message in snapshot.messages { perQueue[message.queueID, default: 0] += 1 }
        for (queueID, count) in perQueue { byID[queueID]?.reserveCapacity(count) }
        for message in snapshot.messages {
            byID[message.queueID]?.insert(message, now: now)
        }
        for record in snapshot.deduplications where record.expiresAt > now {
            byID[record.queueID]?.deduplications[.init(scope: record.scope, deduplicationID: record.deduplicationID)] = record
        }
        // A queue whose deletion was rolled back exists again.
        recentlyDeleted = recentlyDeleted.filter { queues[$0.key] == nil }
        restoreMoveTasks(snapshot.moveTasks)
        highestQueueID = max(highestQueueID, snapshot.highestQueueID, snapshot.queues.map(\.id).max() ?? 0)
        highestSequence = max(highestSequence, snapshot.highestSequence, snapshot.messages.last?.sequence ?? 0)
        waiters.wakeEverything()
    }

    /// Sweeps expired messages until graceful shutdown, then ends long polls and closes the store.
    public func run() async throws {
        let interval = max(1, configuration.retentionSweepInterval)
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await self.clock.sleep(until: self.clock.now().adding(seconds: interval))
                }
            } catch {
                break
            }
            await sweepExpired()
        }
        endLongPolls()
        stopMoveTaskRunners()
        try await store.close()
    }

    /// Ends every long poll (they return empty) and makes later receives return at once.
    public func endLongPolls() {
        isShuttingDown = true
        waiters.wakeEverything()
    }

    /// Deletes every message past its queue's retention period.
    public func sweepExpired() async {
        let now = clock.now()
        var changes: [StoreChange] = []
        var forgotten = false
        for queue in queues.values {
            if logger.logLevel <= .debug {
                for message in queue.expiredMessagesForLogging(now: now) {
                    logMessage("message expired", message, queue: queue.key)
                }
            }
            changes += queue.removeExpired(now: now)
            let remembered = queue.deduplications.count
            queue.deduplications = queue.deduplications.filter { $0.value.expiresAt > now }
            queue.receiveAttempts = queue.receiveAttempts.filter { $0.value.expiresAt > now }
            forgotten = forgotten || queue.deduplications.count != remembered
        }
        if forgotten {
            changes.append(.deleteExpiredDeduplications(before: now))
        }
        guard !changes.isEmpty else { return }
        logger.debug("expired messages removed", metadata: ["count": "\(changes.count)"])
        // On failure `persist` has logged it and restored the stored state; the next sweep retries.
        try? await persist(changes)
    }

    // MARK: - Helpers shared by the operations

    func queue(_ key: QueueKey) throws(EngineError) -> QueueState {
        guard let queue = queues[key] else { throw EngineError.queueDoesNotExist }
        return queue
    }

    /// Commits `changes` (submitted synchronously on the actor, so in the order the engine decided
    /// them), turning a store failure into an internal error for the caller.
    ///
    /// A failed commit leaves the working state ahead of the disk. The store then refuses later
    /// submissions, and the engine reloads what is durable before accepting writes again (see
    /// ``recoverFromFailedCommit(submittedAfter:)``), so no later success rests on a change that was not saved.
    func persist(_ changes: [StoreChange]) async throws(EngineError) {
        // Isolated to the actor, so the commit resumes the caller on it directly.
        try await awaitCommit(try submit(changes))
    }

    /// The first half of ``persist(_:)``: submits `changes` now, on the actor (so in the order the
    /// engine decided them), and returns their ticket (`nil` for no changes). A hot request returns
    /// it from the actor and waits with ``awaitCommit(_:isolation:)``, so the commit resumes it on its own
    /// executor without a second trip through the actor. Whatever the request did on the actor
    /// before returning (waking receives, counting) is seen by later requests before the commit;
    /// they cannot answer before it either, as their own commits come after it.
    func submit(_ changes: [StoreChange]) throws(EngineError) -> CommitTicket? {
        if changes.isEmpty { return nil }
        if storeUnusable { throw Self.internalFailure }
        let ticket = CommitTicket(recoveriesBefore: recoveriesCompleted)
        store.submit(changes) { ticket.complete($0) }
        return ticket
    }

    /// The second half of ``persist(_:)``: waits until the submission is durable, resuming in
    /// `isolation` (the actor for ``persist(_:)``, the request's own executor for a nonisolated
    /// caller). On failure it logs, recovers on the actor and throws the internal error.
    func awaitCommit(_ ticket: CommitTicket?, isolation: isolated (any Actor)? = #isolation) async throws(EngineError) {
        guard let ticket else { return }
        do {
            try await ticket.wait()
        } catch {
            await commitFailed(error, ticket: ticket)
            throw Self.internalFailure
        }
    }

    private func commitFailed(_ error: any Error, ticket: CommitTicket) async {
        logger.error("store commit failed", metadata: ["error": "\(error)"])
        await recoverFromFailedCommit(submittedAfter: ticket.recoveriesBefore)
    }

    /// The error a client gets when its change could not be saved.
    static var internalFailure: EngineError {
        EngineError(.internalFailure, "The request processing has failed because of an unknown error, exception or failure.")
    }

    /// After a failed commit: reloads the durable state and lets the store accept submissions again.
    ///
    /// The reload runs after every submission made before it, and installing it and resuming the
    /// store happen without a suspension in between, so every change made in memory meanwhile
    /// (whose submission was refused) is replaced. A recovery already under way covers later
    /// failures, and so does one completed after the failed submission was made
    /// (`submittedAfter` is ``recoveriesCompleted`` when it was made): its failure may be reported
    /// only after that recovery, when the store accepts writes again, and reloading then would
    /// drop changes acknowledged since. If the database cannot even be read, the engine stops
    /// accepting writes and says so.
    func recoverFromFailedCommit(submittedAfter recoveries: Int) async {
        if isRecovering || storeUnusable || recoveriesCompleted > recoveries { return }
        isRecovering = true
        defer { isRecovering = false }
        for attempt in 1...5 {
            do {
                let snapshot = try await store.loadWorkingSet()
                install(snapshot)
                store.resumeAfterFailure()
                recoveriesCompleted += 1
                logger.warning("reloaded the stored state after a failed commit; the failed requests were answered with errors")
                return
            } catch {
                logger.error("could not reload the stored state", metadata: ["attempt": "\(attempt)", "error": "\(error)"])
                try? await Task.sleep(for: .milliseconds(100 * attempt))
            }
        }
        storeUnusable = true
        logger.critical("the database can no longer be read: every change now fails; restart sqslite once the disk is fixed")
    }

    func nextSequence() -> Int64 {
        highestSequence += 1
        return highestSequence
    }

    /// Suspends until the queue changes, `deadline` passes, the task is cancelled, or shutdown.
    func waitForChange(queueID: Int64, until deadline: Timestamp) async {
        let id = waiters.makeID()
        let clock = self.clock
        let timer = Task { [weak self] in
            try? await clock.sleep(until: deadline)
            await self?.wakeWaiter(queueID: queueID, id: id)
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                if isShuttingDown || Task.isCancelled {
                    continuation.resume()
                } else {
                    waiters.add(queueID: queueID, id: id, continuation: continuation)
                }
            }
        } onCancel: {
            Task { await self.wakeWaiter(queueID: queueID, id: id) }
        }
        timer.cancel()
    }

    func wakeWaiter(queueID: Int64, id: UInt64) {
        waiters.wake(queueID: queueID, id: id)
    }

    /// The working state as a store snapshot (queues by id, messages by sequence): what a store
    /// loaded now must hold, for tests that compare the two.
    public func workingSnapshot() -> WorkingSet {
        let states = queues.values.sorted { $0.id < $1.id }
        return WorkingSet(
            queues: states.map(\.record),
            messages: states.flatMap(\.messages.values).sorted { $0.sequence < $1.sequence },
            highestQueueID: highestQueueID, highestSequence: highestSequence)
    }

    /// Runs `body` with a queue's working state on the actor (for tests that look inside).
    func inspect<T: Sendable>(_ key: QueueKey, _ body: (QueueState) -> T) throws(EngineError) -> T {
        body(try queue(key))
    }

    /// The full records of `messages` (of one queue) from the store, with the engine's delivery
    /// state, in the same order; messages no longer stored are left out.
    func records(of messages: [MessageMetadata], in state: QueueState) async throws(EngineError) -> [MessageRecord] {
        if messages.isEmpty { return [] }
        let stored: [MessageRecord]
        do {
            stored = try await store.fetchMessages(queueID: state.id, sequences: messages.map(\.sequence))
        } catch {
            logger.error("could not read messages from the store", metadata: ["error": "\(error)"])
            throw Self.internalFailure
        }
        var bySequence: [Int64: MessageRecord] = [:]
        for record in stored { bySequence[record.sequence] = record }
        return messages.compactMap { meta in bySequence[meta.sequence]?.with(meta) }
    }

    /// The number of receives currently long-polling (for tests and metrics).
    public var waitingReceiveCount: Int { waiters.count }

    /// One debug line about one message: queue, message id, receive count and the request id,
    /// so a message's life can be followed with grep.
    func logMessage(_ event: Logger.Message, _ message: MessageRecord, queue: QueueKey, extra: Logger.Metadata = [:]) {
        guard logger.logLevel <= .debug else { return }
        logMessage(event, messageID: message.messageID, receiveCount: message.receiveCount, queue: queue, extra: extra)
    }

    /// ``logMessage(_:_:queue:extra:)`` for a message known by its metadata.
    func logMessage(_ event: Logger.Message, _ message: MessageMetadata, queue: QueueKey, extra: Logger.Metadata = [:]) {
        guard logger.logLevel <= .debug else { return }
        logMessage(event, messageID: message.messageIDString, receiveCount: message.receiveCount, queue: queue, extra: extra)
    }

    private func logMessage(_ event: Logger.Message, messageID: String, receiveCount: Int, queue: QueueKey, extra: Logger.Metadata) {
        var metadata: Logger.Metadata = [
            "queue": "\(queue)", "messageId": "\(messageID)", "receiveCount": "\(receiveCount)",
            "requestId": "\(RequestTrace.requestID ?? "-")",
        ]
        metadata.merge(extra) { _, new in new }
        logger.debug(event, metadata: metadata)
    }

    /// Whether ``endLongPolls()`` was called: receives no longer wait, so pollers should stop.
    public var isEndingLongPolls: Bool { isShuttingDown }
}
