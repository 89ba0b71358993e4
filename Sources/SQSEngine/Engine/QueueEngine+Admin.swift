import Logging

/// One queue as the admin page lists it: type, counts, age of the oldest message and its
/// dead-letter links both ways.
public struct QueueSummary: Sendable {
    /// Account, region and name.
    public var key: QueueKey
    /// Whether it is a FIFO queue.
    public var isFIFO: Bool
    /// ApproximateNumberOfMessages.
    public var visible: Int
    /// ApproximateNumberOfMessagesNotVisible.
    public var inFlight: Int
    /// ApproximateNumberOfMessagesDelayed.
    public var delayed: Int
    /// Seconds since the oldest message was sent (0 when empty).
    public var oldestMessageAge: Int
    /// The queue its RedrivePolicy sends to, when it has one that exists.
    public var deadLetterTarget: QueueKey?
    /// The RedrivePolicy's maxReceiveCount, with ``deadLetterTarget``.
    public var maxReceiveCount: Int?
    /// The queues whose RedrivePolicy names this one (so this queue is a dead-letter queue).
    public var deadLetterSources: [QueueKey]
    /// When the queue was created.
    public var createdAt: Timestamp

    /// Every message the queue holds, whatever its state.
    public var total: Int { visible + inFlight + delayed }
}

extension QueueEngine {
    /// Every queue's summary, sorted by account, region and name. Read-only.
    public func queueSummaries() -> [QueueSummary] {
        let now = clock.now()
        return queues.values.map { summary(of: $0, now: now) }.sorted { $0.key.description < $1.key.description }
    }

    /// One queue's summary. Read-only.
    public func queueSummary(_ key: QueueKey) throws(EngineError) -> QueueSummary {
        summary(of: try queue(key), now: clock.now())
    }

    /// One message by its MessageId, as a peek shows it (`nil` when it is not in the queue).
    /// Changes nothing.
    public func peekMessage(_ key: QueueKey, messageID: String) async throws(EngineError) -> PeekedMessage? {
        let state = try queue(key)
        guard let message = try await storedMessage(in: state, messageID: messageID) else { return nil }
        let now = clock.now()
        guard let current = state.messages[message.sequence], !state.isExpired(current, now: now) else { return nil }
        return PeekedMessage(record: message.with(current), state: Self.peekState(of: current, now: now))
    }

    /// The stored message with this MessageId (looked up in the store, not by a scan of memory).
    private func storedMessage(in state: QueueState, messageID: String) async throws(EngineError) -> MessageRecord? {
        do {
            return try await store.findMessage(queueID: state.id, messageID: messageID)
        } catch {
            logger.error("could not read a message from the store", metadata: ["error": "\(error)"])
            throw Self.internalFailure
        }
    }

    /// Deletes one message by its MessageId, whatever its state (an admin operation: SQS itself
    /// deletes only by receipt handle). Returns whether the message was there.
    @discardableResult
    public func deleteMessage(_ key: QueueKey, byID messageID: String) async throws(EngineError) -> Bool {
        let state = try queue(key)
        guard let stored = try await storedMessage(in: state, messageID: messageID), let message = state.messages[stored.sequence] else {
            return false
        }
        state.remove(sequence: message.sequence)
        try await persist([.deleteMessage(queueID: state.id, sequence: message.sequence)])
        logMessage("message deleted from the admin page", message, queue: key)
        // Deleting a FIFO message may unlock its group.
        if state.isFIFO { waiters.wakeAll(queueID: state.id) }
        return true
    }

    static func peekState(of message: MessageMetadata, now: Timestamp) -> PeekedMessage.State {
        message.visibleAt <= now ? .visible : (message.receiveCount > 0 ? .inFlight : .delayed)
    }

    private func summary(of state: QueueState, now: Timestamp) -> QueueSummary {
        let counts = state.counts(now: now)
        let oldest = state.oldestSentAt(now: now)?.milliseconds
        let target = deadLetterTarget(of: state)
        let sources = queues.values.filter { deadLetterTarget(of: $0)?.queue.id == state.id }.map(\.key).sorted { $0.name < $1.name }
        return QueueSummary(
            key: state.key, isFIFO: state.isFIFO, visible: counts.visible, inFlight: counts.inFlight, delayed: counts.delayed,
            oldestMessageAge: oldest.map { Int(max(0, now.milliseconds - $0) / 1000) } ?? 0,
            deadLetterTarget: target?.queue.key, maxReceiveCount: target?.maxReceiveCount, deadLetterSources: sources,
            createdAt: state.record.createdAt)
    }
}
