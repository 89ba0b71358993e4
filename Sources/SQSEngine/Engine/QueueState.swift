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

    /// A message's place in the retention order: by the time it was sent.
    struct ExpiryEntry: Comparable {
        var sentAt: Timestamp
        var sequence: Int64

        static func < (lhs: ExpiryEntry, rhs: ExpiryEntry) -> Bool {
            (lhs.sentAt, lhs.sequence) < (rhs.sentAt, rhs.sequence)
        }
    }

    /// Why a message is not visible: the two counts GetQueueAttributes reports besides the visible one.
    struct Hidden {
        var visibleAt: Timestamp
        /// Received and not yet visible again (else: delayed).
        var inFlight: Bool
    }

    var record: QueueRecord
    private(set) var settings: QueueSettings
    /// The RedrivePolicy's target and count, parsed once when the attributes change.
    private(set) var redrivePolicy: (target: QueueKey, maxReceiveCount: Int)?
    private(set) var messages = MessageTable()
    /// Entries for every message; an entry whose `visibleAt` no longer matches its message is stale
    /// and skipped (lazy deletion keeps updates O(log n)).
    private var ready = Heap<ReadyEntry>()
    /// Entries for every message by sent time, for retention; entries of removed messages are stale.
    private var expiry = Heap<ExpiryEntry>()
    /// The messages not visible as of the last ``settle(now:)`` (or since added), with their kind.
    private var hidden: [Int64: Hidden] = [:]
    /// When each hidden message becomes visible; entries that no longer match `hidden` are stale.
    private var hiddenOrder = Heap<ReadyEntry>()
    private var hiddenInFlight = 0
    private var hiddenDelayed = 0
    /// FIFO queues only: the message groups.
    private(set) var fifoGroups = FIFOGroups()
    /// Per message group (a FIFO group, or a fair-queue tenant on a standard queue), how many of
    /// its messages are in flight.
    private(set) var inFlightByGroup: [String: Int] = [:]
    /// The groups with at least ``FairQueue/minimumInFlight`` messages in flight: the only ones that
    /// can be noisy neighbours, so the usual receive checks nothing else.
    private var heavyGroups: Set<String> = []
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
        self.isFIFO = record.attributes["FifoQueue"] == "true"
        self.settings = QueueSettings(attributes: record.attributes)
        self.redrivePolicy = Self.parseRedrivePolicy(record.attributes["RedrivePolicy"])
    }

    var id: Int64 { record.id }
    var key: QueueKey { record.key }
    /// Whether the queue is FIFO (`FifoQueue` is fixed at creation). Kept, not looked up: sends,
    /// receives and loading a million messages asked it per message.
    private(set) var isFIFO: Bool

    /// Replaces the attributes and re-derives the settings.
    func setAttributes(_ attributes: [String: String]) {
        record.attributes = attributes
        isFIFO = attributes["FifoQueue"] == "true"
        settings = QueueSettings(attributes: attributes)
        redrivePolicy = Self.parseRedrivePolicy(attributes["RedrivePolicy"])
    }

    private static func parseRedrivePolicy(_ policy: String?) -> (target: QueueKey, maxReceiveCount: Int)? {
        guard let policy, let fields = QueueEngine.jsonObject(policy), let arn = fields["deadLetterTargetArn"]?.stringValue,
            let key = QueueKey(arn: arn), let count = fields["maxReceiveCount"]?.integerValue
        else { return nil }
        return (key, count)
    }

    /// Makes room for `count` messages (before loading them).
    func reserveCapacity(_ count: Int) {
        messages.reserveCapacity(count)
        ready.reserveCapacity(count)
        expiry.reserveCapacity(count)
    }

    /// Adds a new message; `now` tells whether it starts hidden (delayed).
    func insert(_ message: MessageMetadata, now: Timestamp) {
        messages.updateValue(message, forKey: message.sequence)
        if isFIFO, let group = message.messageGroupID {
            fifoGroups.append(group: group, sequence: message.sequence)
        }
        ready.insert(ReadyEntry(visibleAt: message.visibleAt, sequence: message.sequence))
        expiry.insert(ExpiryEntry(sentAt: message.sentAt, sequence: message.sequence))
        track(message, now: now)
    }

    /// Records a new delivery state (`visibleAt`, receive count) for a message already in the queue.
    ///
    /// - Parameter requeue: Whether to add its receive-order entry now; a receive that took the entry
    ///   with ``popVisible(now:expired:)`` passes `false` and puts it back with ``putBack(_:)`` later.
    func update(_ message: MessageMetadata, now: Timestamp, requeue: Bool = true) {
        let old = messages.updateValue(message, forKey: message.sequence)
        if requeue, old?.visibleAt != message.visibleAt {
            ready.insert(ReadyEntry(visibleAt: message.visibleAt, sequence: message.sequence))
            compactIfNeeded()
        }
        untrack(message.sequence, group: message.messageGroupID)
        track(message, now: now)
    }

    @discardableResult
    func remove(sequence: Int64) -> MessageMetadata? {
        let removed = messages.removeValue(forKey: sequence)
        if let removed {
            if isFIFO, let group = removed.messageGroupID {
                fifoGroups.remove(group: group, sequence: sequence)
            }
            untrack(sequence, group: removed.messageGroupID)
        }
        compactIfNeeded()
        return removed
    }

    func removeAll() {
        messages.removeAll()
        fifoGroups.removeAll()
        receiveAttempts.removeAll()
        ready = Heap()
        expiry = Heap()
        hidden.removeAll()
        hiddenOrder = Heap()
        hiddenInFlight = 0
        hiddenDelayed = 0
        inFlightByGroup.removeAll()
        heavyGroups.removeAll()
    }

    /// The sequences of every message the queue holds, in order: what a purge or deletion of the
    /// queue removes from the store.
    var storedSequences: [Int64] {
        var sequences: [Int64] = []
        sequences.reserveCapacity(messages.count)
        for message in messages.values { sequences.append(message.sequence) }
        return sequences
    }

    func isExpired(_ message: MessageMetadata, now: Timestamp) -> Bool {
        message.sentAt.adding(seconds: settings.retentionPeriod) <= now
    }

    // MARK: Hidden messages and counts

    /// Counts `message` as hidden if it is not visible at `now`.
    private func track(_ message: MessageMetadata, now: Timestamp) {
        guard message.visibleAt > now else { return }
        let inFlight = message.receiveCount > 0
        hidden[message.sequence] = Hidden(visibleAt: message.visibleAt, inFlight: inFlight)
        hiddenOrder.insert(ReadyEntry(visibleAt: message.visibleAt, sequence: message.sequence))
        if inFlight {
            hiddenInFlight += 1
            if let group = message.messageGroupID {
                let count = inFlightByGroup[group, default: 0] + 1
                inFlightByGroup[group] = count
                if count == FairQueue.minimumInFlight { heavyGroups.insert(group) }
            }
        } else {
            hiddenDelayed += 1
        }
    }

    /// Stops counting a message as hidden (it is removed, or its state is about to be re-tracked).
    private func untrack(_ sequence: Int64, group: String?) {
        guard let entry = hidden.removeValue(forKey: sequence) else { return }
        if entry.inFlight {
            hiddenInFlight -= 1
            if let group {
                let remaining = (inFlightByGroup[group] ?? 1) - 1
                inFlightByGroup[group] = remaining > 0 ? remaining : nil
                if remaining == FairQueue.minimumInFlight - 1 { heavyGroups.remove(group) }
            }
        } else {
            hiddenDelayed -= 1
        }
    }

    /// Brings the hidden set up to `now`: messages whose time has come are visible again.
    /// Amortized O(log n) per message that changes, whatever the queue's size.
    func settle(now: Timestamp) {
        while let top = hiddenOrder.min, top.visibleAt <= now {
            hiddenOrder.removeMin()
            guard let entry = hidden[top.sequence], entry.visibleAt == top.visibleAt else { continue }
            untrack(top.sequence, group: messages[top.sequence]?.messageGroupID)
        }
        if hiddenOrder.count > 64, hiddenOrder.count > hidden.count * 2 {
            hiddenOrder = Heap(hidden.map { ReadyEntry(visibleAt: $0.value.visibleAt, sequence: $0.key) })
        }
    }

    /// The tenants (message groups of a standard queue) that are noisy neighbours now (call
    /// ``settle(now:)`` first): see ``FairQueue``. O(heavy groups), usually none.
    func noisyTenants() -> Set<String> {
        guard !heavyGroups.isEmpty else { return [] }
        return heavyGroups.filter { FairQueue.isNoisy(inFlight: inFlightByGroup[$0] ?? 0, queueInFlight: hiddenInFlight) }
    }

    /// Standard queues: ``popVisible(now:expired:)``, but while some tenants are noisy neighbours
    /// the next visible message of a quiet tenant comes first (among the next
    /// ``FairQueue/lookahead`` visible messages); when only noisy tenants' messages are there, the
    /// one of the tenant with the fewest messages in flight.
    func popVisibleFairly(now: Timestamp, expired: inout [StoreChange]) -> MessageMetadata? {
        settle(now: now)
        let noisy = noisyTenants()
        guard !noisy.isEmpty else { return popVisible(now: now, expired: &expired) }
        var passed: [MessageMetadata] = []
        var chosen: MessageMetadata?
        while passed.count < FairQueue.lookahead, let message = popVisible(now: now, expired: &expired) {
            if let group = message.messageGroupID, noisy.contains(group) {
                passed.append(message)
            } else {
                chosen = message
                break
            }
        }
        if chosen == nil, !passed.isEmpty {
            let index = passed.indices.min { (inFlightByGroup[passed[$0].messageGroupID ?? ""] ?? 0, $0) < (inFlightByGroup[passed[$1].messageGroupID ?? ""] ?? 0, $1) }!
            chosen = passed.remove(at: index)
        }
        for message in passed { putBack(message) }
        return chosen
    }

    // MARK: Receiving

    /// Takes the next message that is visible at `now`, skipping stale entries; expired messages
    /// found on the way are removed and reported through `expired`.
    func popVisible(now: Timestamp, expired: inout [StoreChange]) -> MessageMetadata? {
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
    func putBack(_ message: MessageMetadata) {
        ready.insert(ReadyEntry(visibleAt: message.visibleAt, sequence: message.sequence))
    }

    /// The earliest time a message may become visible (possibly early: stale entries count).
    var nextVisibleAt: Timestamp? { ready.min?.visibleAt }

    /// When a waiting receive should look again: the next delay or visibility expiry that can
    /// make a message deliverable (possibly early; the receive then looks and waits again).
    func nextWakeAt(now: Timestamp) -> Timestamp? {
        guard isFIFO else { return nextVisibleAt }
        settle(now: now)
        return hiddenOrder.min?.visibleAt
    }

    /// FIFO: takes the deliverable messages, removing expired ones on the way.
    func takeDeliverableFIFO(limit: Int, now: Timestamp, expired: inout [StoreChange]) -> [MessageMetadata] {
        expired += removeExpired(now: now)
        settle(now: now)
        let taken = fifoGroups.deliverable(limit: limit, now: now, messages: messages)
        var lastGroup: String?
        for entry in taken where entry.group != lastGroup {
            fifoGroups.served(entry.group)
            lastGroup = entry.group
        }
        return taken.compactMap { messages[$0.sequence] }
    }

    /// ApproximateNumberOfMessages, …NotVisible and …Delayed at `now`, without expired messages.
    /// Amortized O(log n) per message that changed state since the last call, plus the expired ones
    /// the retention sweep has not removed yet.
    func counts(now: Timestamp) -> (visible: Int, inFlight: Int, delayed: Int) {
        settle(now: now)
        var inFlight = hiddenInFlight
        var delayed = hiddenDelayed
        var visible = messages.count - inFlight - delayed
        for message in expiredMessages(now: now) {
            if let entry = hidden[message.sequence] {
                if entry.inFlight { inFlight -= 1 } else { delayed -= 1 }
            } else {
                visible -= 1
            }
        }
        return (visible, inFlight, delayed)
    }

    /// The sequences of the messages hidden as of the last ``settle(now:)`` (``counts(now:)``
    /// settles) that are in flight, delayed, or either, oldest first. O(h log h) for the h that match.
    func hiddenSequences(inFlight: Bool, delayed: Bool) -> [Int64] {
        hidden.compactMap { sequence, entry in (entry.inFlight ? inFlight : delayed) ? sequence : nil }.sorted()
    }

    /// When the oldest message that has not expired was sent.
    func oldestSentAt(now: Timestamp) -> Timestamp? {
        dropStaleExpiryEntries()
        let threshold = now.adding(seconds: -settings.retentionPeriod)
        guard let oldest = expiry.min else { return nil }
        if oldest.sentAt > threshold { return oldest.sentAt }
        // Some have expired and wait for the sweep: look past them.
        var popped: [ExpiryEntry] = []
        var result: Timestamp?
        while let top = expiry.min {
            expiry.removeMin()
            popped.append(top)
            if messages[top.sequence]?.sentAt == top.sentAt, top.sentAt > threshold {
                result = top.sentAt
                break
            }
        }
        for entry in popped { expiry.insert(entry) }
        return result
    }

    /// The messages past retention that are still stored (the sweep removes them), oldest first.
    private func expiredMessages(now: Timestamp) -> [MessageMetadata] {
        dropStaleExpiryEntries()
        let threshold = now.adding(seconds: -settings.retentionPeriod)
        guard let oldest = expiry.min, oldest.sentAt <= threshold else { return [] }
        var popped: [ExpiryEntry] = []
        var result: [MessageMetadata] = []
        while let top = expiry.min, top.sentAt <= threshold {
            expiry.removeMin()
            popped.append(top)
            if let message = messages[top.sequence], message.sentAt == top.sentAt { result.append(message) }
        }
        for entry in popped { expiry.insert(entry) }
        return result
    }

    private func dropStaleExpiryEntries() {
        while let top = expiry.min, messages[top.sequence]?.sentAt != top.sentAt {
            expiry.removeMin()
        }
    }

    /// Removes every expired message, oldest first, returning the deletions to persist.
    /// O(log n) per removed message: the retention order is kept, not scanned.
    func removeExpired(now: Timestamp) -> [StoreChange] {
        let threshold = now.adding(seconds: -settings.retentionPeriod)
        var changes: [StoreChange] = []
        while let top = expiry.min, top.sentAt <= threshold {
            expiry.removeMin()
            guard let message = messages[top.sequence], message.sentAt == top.sentAt else { continue }
            remove(sequence: top.sequence)
            changes.append(.deleteMessage(queueID: id, sequence: top.sequence))
        }
        return changes
    }

    /// The expired messages that ``removeExpired(now:)`` would remove (for logging).
    func expiredMessagesForLogging(now: Timestamp) -> [MessageMetadata] {
        expiredMessages(now: now)
    }

    private func compactIfNeeded() {
        if ready.count > 64, ready.count > messages.count * 2 {
            ready = Heap(messages.values.map { ReadyEntry(visibleAt: $0.visibleAt, sequence: $0.sequence) })
        }
        if expiry.count > 64, expiry.count > messages.count * 2 {
            expiry = Heap(messages.values.map { ExpiryEntry(sentAt: $0.sentAt, sequence: $0.sequence) })
        }
    }
}
