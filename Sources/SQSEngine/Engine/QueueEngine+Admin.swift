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

extension QueueSummary {
    /// A summary from a queue's directory entry, its numbers and its dead-letter links (built off
    /// the engine, from ``QueueEngine/queueDirectory()`` and ``QueueEngine/queueStatistics(of:)``).
    public init(_ entry: QueueDirectoryEntry, statistics: QueueStatistics?, target: RedriveLink?, sources: [QueueKey]) {
        key = entry.key
        isFIFO = entry.isFIFO
        visible = statistics?.visible ?? 0
        inFlight = statistics?.inFlight ?? 0
        delayed = statistics?.delayed ?? 0
        oldestMessageAge = statistics?.oldestMessageAge ?? 0
        deadLetterTarget = target?.target
        maxReceiveCount = target?.maxReceiveCount
        deadLetterSources = sources
        createdAt = entry.createdAt
    }
}

/// One queue as the admin page's list needs it before any message is looked at: its key, type,
/// creation time and raw RedrivePolicy. Plain values, cheap to copy out of the engine.
public struct QueueDirectoryEntry: Sendable {
    /// Account, region and name.
    public var key: QueueKey
    /// Whether it is a FIFO queue.
    public var isFIFO: Bool
    /// When the queue was created.
    public var createdAt: Timestamp
    /// The RedrivePolicy attribute as stored, unparsed.
    public var redrivePolicy: String?
}

/// A RedrivePolicy's target and maxReceiveCount.
public struct RedriveLink: Sendable, Equatable {
    /// The dead-letter queue.
    public var target: QueueKey
    /// Receives before a message moves there.
    public var maxReceiveCount: Int

    /// Parses a RedrivePolicy document (`nil` when it names no queue or no count). Pure: call it
    /// off the engine.
    public init?(policy: String) {
        guard let fields = QueueEngine.jsonObject(policy), let arn = fields["deadLetterTargetArn"]?.stringValue,
            let key = QueueKey(arn: arn), let count = fields["maxReceiveCount"]?.integerValue
        else { return nil }
        target = key
        maxReceiveCount = count
    }
}

extension QueueEngine {
    /// Every queue's key, type, creation time and raw RedrivePolicy, in no particular order. Reads
    /// no message and parses nothing: O(queues) copies, so callers sort, filter, page and parse
    /// off the actor.
    public func queueDirectory() -> [QueueDirectoryEntry] {
        queues.values.map { state in
            QueueDirectoryEntry(
                key: state.key, isFIFO: state.isFIFO, createdAt: state.record.createdAt, redrivePolicy: state.record.attributes["RedrivePolicy"])
        }
    }

    /// Every queue's summary, sorted by account, region and name. Read-only; each RedrivePolicy is
    /// parsed once (O(queues + messages)).
    public func queueSummaries() -> [QueueSummary] {
        let now = clock.now()
        var targets: [QueueKey: DeadLetterTarget] = [:]
        var sources: [QueueKey: [QueueKey]] = [:]
        for state in queues.values {
            guard let target = deadLetterTarget(of: state) else { continue }
            targets[state.key] = target
            sources[target.queue.key, default: []].append(state.key)
        }
        return queues.values.map { state in
            summary(of: state, now: now, target: targets[state.key], sources: sources[state.key] ?? [])
        }.sorted { $0.key.description < $1.key.description }
    }

    /// One queue's summary. Read-only.
    public func queueSummary(_ key: QueueKey) throws(EngineError) -> QueueSummary {
        let state = try queue(key)
        let sources = queues.values.filter { $0.record.attributes["RedrivePolicy"] != nil && deadLetterTarget(of: $0)?.queue.id == state.id }
        return summary(of: state, now: clock.now(), target: deadLetterTarget(of: state), sources: sources.map(\.key))
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

    /// The stored message with this MessageId: found among the queue's metadata in memory (the
    /// store has no index by MessageId, nor by queue), then read by its sequence.
    private func storedMessage(in state: QueueState, messageID: String) async throws(EngineError) -> MessageRecord? {
        let id = MessageMetadata.parseID(messageID)
        guard id != MessageMetadata.nilID, let sequence = state.messages.values.first(where: { $0.messageID == id })?.sequence else {
            return nil
        }
        do {
            return try await store.fetchMessages(queueID: state.id, sequences: [sequence]).first
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

    private func summary(of state: QueueState, now: Timestamp, target: DeadLetterTarget?, sources: [QueueKey]) -> QueueSummary {
        let counts = state.counts(now: now)
        let oldest = state.oldestSentAt(now: now)?.milliseconds
        return QueueSummary(
            key: state.key, isFIFO: state.isFIFO, visible: counts.visible, inFlight: counts.inFlight, delayed: counts.delayed,
            oldestMessageAge: oldest.map { Int(max(0, now.milliseconds - $0) / 1000) } ?? 0,
            deadLetterTarget: target?.queue.key, maxReceiveCount: target?.maxReceiveCount,
            deadLetterSources: sources.sorted { $0.name < $1.name }, createdAt: state.record.createdAt)
    }
}
