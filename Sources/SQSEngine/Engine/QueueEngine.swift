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
    var waiters = ReceiveWaiters()
    var highestQueueID: Int64 = 0
    var highestSequence: Int64 = 0
    var isShuttingDown = false
    /// When recently deleted queues were deleted (for QueueDeletedRecently; not persisted).
    var recentlyDeleted: [QueueKey: Timestamp] = [:]
    /// Message move tasks, oldest first, and the runners of the running ones.
    var moveTasks: [MoveTaskRecord] = []
    var moveTaskRunners: [String: Task<Void, Never>] = [:]
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
        let snapshot = try await store.load()
        for record in snapshot.queues {
            queues[record.key] = QueueState(record: record)
        }
        let byID = Dictionary(uniqueKeysWithValues: queues.values.map { ($0.id, $0) })
        for message in snapshot.messages {
            byID[message.queueID]?.insert(message)
        }
        let now = clock.now()
        for record in snapshot.deduplications where record.expiresAt > now {
            byID[record.queueID]?.deduplications[.init(scope: record.scope, deduplicationID: record.deduplicationID)] = record
        }
        restoreMoveTasks(snapshot.moveTasks)
        highestQueueID = max(snapshot.highestQueueID, snapshot.queues.map(\.id).max() ?? 0)
        highestSequence = max(snapshot.highestSequence, snapshot.messages.last?.sequence ?? 0)
        started = true
        logger.debug("engine started", metadata: ["queues": "\(queues.count)", "messages": "\(snapshot.messages.count)"])
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
                for message in queue.messages.values where queue.isExpired(message, now: now) {
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
        do {
            try await store.commit(changes)
        } catch {
            logger.error("could not persist expired-message removal", metadata: ["error": "\(error)"])
        }
    }

    // MARK: - Helpers shared by the operations

    func queue(_ key: QueueKey) throws(EngineError) -> QueueState {
        guard let queue = queues[key] else { throw EngineError.queueDoesNotExist }
        return queue
    }

    /// Commits `changes`, turning a store failure into an internal error for the caller.
    func persist(_ changes: [StoreChange]) async throws(EngineError) {
        do {
            try await store.commit(changes)
        } catch {
            logger.error("store commit failed", metadata: ["error": "\(error)"])
            throw EngineError(.internalFailure, "The request processing has failed because of an unknown error, exception or failure.")
        }
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

    /// The number of receives currently long-polling (for tests and metrics).
    public var waitingReceiveCount: Int { waiters.count }

    /// One debug line about one message: queue, message id, receive count and the request id,
    /// so a message's life can be followed with grep.
    func logMessage(_ event: Logger.Message, _ message: MessageRecord, queue: QueueKey, extra: Logger.Metadata = [:]) {
        guard logger.logLevel <= .debug else { return }
        var metadata: Logger.Metadata = [
            "queue": "\(queue)", "messageId": "\(message.messageID)", "receiveCount": "\(message.receiveCount)",
            "requestId": "\(RequestTrace.requestID ?? "-")",
        ]
        metadata.merge(extra) { _, new in new }
        logger.debug(event, metadata: metadata)
    }

    /// Whether ``endLongPolls()`` was called: receives no longer wait, so pollers should stop.
    public var isEndingLongPolls: Bool { isShuttingDown }
}
