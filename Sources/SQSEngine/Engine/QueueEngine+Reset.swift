import Logging

/// What a reset removed.
public struct ResetSummary: Sendable, Equatable {
    /// Queues deleted.
    public var queues: Int
    /// Messages deleted with them.
    public var messages: Int

    /// Creates a summary.
    public init(queues: Int = 0, messages: Int = 0) {
        self.queues = queues
        self.messages = messages
    }
}

extension QueueEngine {
    /// Deletes every queue with its messages, deduplication ids and move tasks, in one store
    /// transaction, for test suites between tests. Unlike DeleteQueue it leaves no
    /// QueueDeletedRecently cooldown: the names can be created again at once. Waiting receives
    /// return empty. Ids keep growing (a receipt handle from before the reset stays invalid).
    public func resetAll() async throws(EngineError) -> ResetSummary {
        let summary = ResetSummary(queues: queues.count, messages: queues.values.reduce(0) { $0 + $1.messages.count })
        stopMoveTaskRunners()
        moveTasks.removeAll()
        queues.removeAll()
        policies.replaceAll([:])
        recentlyDeleted.removeAll()
        waiters.wakeEverything()
        try await persist([.deleteEverything])
        logger.info("every queue reset", metadata: ["queues": "\(summary.queues)", "messages": "\(summary.messages)"])
        return summary
    }

    /// Deletes one queue with its messages as ``resetAll()`` does (no QueueDeletedRecently cooldown).
    /// A move task running from it ends as failed at its next step, as after DeleteQueue.
    /// - Throws: `QueueDoesNotExist` when there is no such queue.
    public func resetQueue(_ key: QueueKey) async throws(EngineError) -> ResetSummary {
        let state = try queue(key)
        let summary = ResetSummary(queues: 1, messages: state.messages.count)
        queues[key] = nil
        policies.update(key, nil)
        recentlyDeleted[key] = nil
        waiters.wakeAll(queueID: state.id)
        try await persist([.deleteQueue(queueID: state.id, sequences: state.storedSequences)])
        logger.info("queue reset", metadata: ["queue": "\(key)"])
        return summary
    }

    /// Every queue's key (for resets that go queue by queue, and for tools).
    public func queueKeys() -> [QueueKey] {
        Array(queues.keys)
    }
}
