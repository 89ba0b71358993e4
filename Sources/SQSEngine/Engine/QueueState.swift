import HeapModule

/// One queue's working state inside the engine: its record, its messages and the order in which
/// they become receivable.
///
/// Not `Sendable`: it lives inside the ``QueueEngine`` actor and never leaves it. Methods change the
/// state and return the ``StoreChange``s that make the change durable; the engine submits them.
final class QueueState {
    /// A message's place in the receive order: by the time it becomes visible, then by send order.
    struct ReadyEntry: Comparable {
        var visibleAt: Timestamp
        var sequence: Int64

        static func < (lhs: ReadyEntry, rhs: ReadyEntry) -> Bool {
            (lhs.visibleAt, lhs.sequence) < (rhs.visibleAt, rhs.sequence)
        }
    }

    var record: QueueRecord
    private(set) var settings: QueueSettings
    var messages: [Int64: MessageRecord] = [:]
    /// Entries for every message; an entry whose `visibleAt` no longer matches its message is stale
    /// and skipped (lazy deletion keeps updates O(log n)).
    private var ready = Heap<ReadyEntry>()
    /// FIFO queues only: the message groups.
    var fifoGroups = FIFOGroups()
    /// FIFO queues only: remembered deduplication ids by scope and id.
    var deduplications: [DeduplicationScopeKey: DeduplicationRecord] = [:]
    /// FIFO queues only: recent receive attempts, for ReceiveRequestAttemptId retries.
    var receiveAttempts: [String: ReceiveAttempt] = [:]

    /// A deduplication id within its scope (the message group, or empty for the whole queue).
    struct DeduplicationScopeKey: Hashable {
        var scope: String
        var deduplicationID: String
    }

    /// The messages a receive with a ReceiveRequestAttemptId returned.
    struct ReceiveAttempt {
        var deliveries: [(sequence: Int64, token: UInt64)]
        var expiresAt: Timestamp
    }

    init(record: QueueRecord) {
        self.record = record
        self.settings = QueueSettings(attributes: record.attributes)
    }

    var id: Int64 { record.id }
    var key: QueueKey { record.key }
    var isFIFO: Bool { record.attributes["FifoQueue"] == "true" }

    /// Replaces the attributes and re-derives the settings.
    func setAttributes(_ attributes: [String: String]) {
        record.attributes = attributes
        settings = QueueSettings(attributes: attributes)
    }

    func insert(_ message: MessageRecord) {
        messages[message.sequence] = message
        if isFIFO, let group = message.messageGroupID {
            fifoGroups.append(group: group, sequence: message.sequence)
        }
        ready.insert(ReadyEntry(visibleAt: message.visibleAt, sequence: message.sequence))
    }

    /// Records a new `visibleAt` for a message already in the queue.
    func update(_ message: MessageRecord) {
        let old = messages.updateValue(message, forKey: message.sequence)
        if old?.visibleAt != message.visibleAt {
            ready.insert(ReadyEntry(visibleAt: message.visibleAt, sequence: message.sequence))
            compactIfNeeded()
        }
    }

    @discardableResult
    func remove(sequence: Int64) -> MessageRecord? {
        let removed = messages.removeValue(forKey: sequence)
        if isFIFO, let group = removed?.messageGroupID {
            fifoGroups.remove(group: group, sequence: sequence)
        }
        compactIfNeeded()
        return removed
    }

    func removeAll() {
        messages.removeAll()
        fifoGroups.removeAll()
        receiveAttempts.removeAll()
        ready = Heap()
    }

    func isExpired(_ message: MessageRecord, now: Timestamp) -> Bool {
        message.sentAt.adding(seconds: settings.retentionPeriod) <= now
    }

    /// Takes the next message that is visible at `now`, skipping stale entries; expired messages
    /// found on the way are removed and reported through `expired`.
    func popVisible(now: Timestamp, expired: inout [StoreChange]) -> MessageRecord? {
        while let top = ready.min, top.visibleAt <= now {
            ready.removeMin()
            guard let message = messages[top.sequence], message.visibleAt == top.visibleAt else { continue }
            if isExpired(message, now: now) {
                remove(sequence: top.sequence)
                expired.append(.deleteMessage(queueID: id, sequence: top.sequence))
                continue
            }
            return message
        }
        return nil
    }

    /// Puts a message taken by ``popVisible(now:expired:)`` back unchanged.
    func putBack(_ message: MessageRecord) {
        ready.insert(ReadyEntry(visibleAt: message.visibleAt, sequence: message.sequence))
    }

    /// The earliest time a message may become visible (possibly early: stale entries count).
    var nextVisibleAt: Timestamp? { ready.min?.visibleAt }

    /// When a waiting receive should look again: the next delay or visibility expiry that can
    /// make a message deliverable (for FIFO, one that is in the future; a visible message of a
    /// locked group waits for its group's in-flight message instead).
    func nextWakeAt(now: Timestamp) -> Timestamp? {
        isFIFO ? fifoGroups.nextChange(after: now, messages: messages) : nextVisibleAt
    }

    /// FIFO: takes the deliverable messages, removing expired ones on the way.
    func takeDeliverableFIFO(limit: Int, now: Timestamp, expired: inout [StoreChange]) -> [MessageRecord] {
        for (sequence, message) in messages where isExpired(message, now: now) {
            remove(sequence: sequence)
            expired.append(.deleteMessage(queueID: id, sequence: sequence))
        }
        let sequences = fifoGroups.deliverable(limit: limit, now: now, messages: messages) { self.isExpired($0, now: now) }
        return sequences.compactMap { messages[$0] }
    }

    /// ApproximateNumberOfMessages, …NotVisible and …Delayed at `now`.
    func counts(now: Timestamp) -> (visible: Int, inFlight: Int, delayed: Int) {
        var visible = 0
        var inFlight = 0
        var delayed = 0
        for message in messages.values where !isExpired(message, now: now) {
            if message.visibleAt <= now {
                visible += 1
            } else if message.receiveCount > 0 {
                inFlight += 1
            } else {
                delayed += 1
            }
        }
        return (visible, inFlight, delayed)
    }

    /// Removes every expired message, returning the deletions to persist.
    func removeExpired(now: Timestamp) -> [StoreChange] {
        var changes: [StoreChange] = []
        for (sequence, message) in messages where isExpired(message, now: now) {
            remove(sequence: sequence)
            changes.append(.deleteMessage(queueID: id, sequence: sequence))
        }
        if !changes.isEmpty { compactIfNeeded() }
        return changes
    }

    private func compactIfNeeded() {
        guard ready.count > 64, ready.count > messages.count * 2 else { return }
        ready = Heap(messages.values.map { ReadyEntry(visibleAt: $0.visibleAt, sequence: $0.sequence) })
    }
}
