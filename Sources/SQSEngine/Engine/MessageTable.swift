/// A queue's message metadata by sequence: a dictionary's interface over one array sorted by
/// sequence, so memory is one entry per message (a `Dictionary` keeps up to twice that in
/// empty slots), lookups are a binary search and the messages are kept in send order.
///
/// Sequences only grow, so an insert is an append (an older one is placed by a binary search, which
/// never happens on the engine's paths). A removal leaves a hole that later inserts skip; holes are
/// squeezed out once they outnumber the messages, so the cost stays amortized O(1) per change.
struct MessageTable {
    private var entries: [MessageMetadata] = []
    private var removed: [Bool] = []
    private var holes = 0

    /// The number of messages.
    var count: Int { entries.count - holes }

    /// Whether there are no messages.
    var isEmpty: Bool { count == 0 }

    /// Makes room for `capacity` messages in all (for loading).
    mutating func reserveCapacity(_ capacity: Int) {
        entries.reserveCapacity(capacity)
        removed.reserveCapacity(capacity)
    }

    /// The message with this sequence.
    subscript(sequence: Int64) -> MessageMetadata? {
        guard let index = index(of: sequence) else { return nil }
        return entries[index]
    }

    /// Inserts or replaces the message with `message.sequence`, returning the one it replaced.
    @discardableResult
    mutating func updateValue(_ message: MessageMetadata, forKey sequence: Int64) -> MessageMetadata? {
        // The usual case, a new highest sequence: append without searching.
        if entries.last.map({ $0.sequence < sequence }) ?? true {
            entries.append(message)
            removed.append(false)
            return nil
        }
        if let index = index(of: sequence) {
            let old = entries[index]
            entries[index] = message
            return old
        }
        if let last = entries.last, last.sequence >= sequence {
            let position = lowerBound(of: sequence)
            if position < entries.count, entries[position].sequence == sequence {
                // A hole of the same sequence: fill it.
                entries[position] = message
                removed[position] = false
                holes -= 1
            } else {
                entries.insert(message, at: position)
                removed.insert(false, at: position)
            }
            return nil
        }
        entries.append(message)
        removed.append(false)
        return nil
    }

    /// Removes the message with this sequence, returning it.
    @discardableResult
    mutating func removeValue(forKey sequence: Int64) -> MessageMetadata? {
        guard let index = index(of: sequence) else { return nil }
        removed[index] = true
        holes += 1
        let message = entries[index]
        if holes > 64, holes > count {
            squeeze()
        }
        return message
    }

    /// Removes every message.
    mutating func removeAll() {
        entries.removeAll()
        removed.removeAll()
        holes = 0
    }

    /// The messages in ascending sequence (send) order.
    var values: some Sequence<MessageMetadata> {
        zip(entries, removed).lazy.filter { !$0.1 }.map(\.0)
    }

    private func index(of sequence: Int64) -> Int? {
        let position = lowerBound(of: sequence)
        guard position < entries.count, entries[position].sequence == sequence, !removed[position] else { return nil }
        return position
    }

    /// The first position whose sequence is not below `sequence`.
    private func lowerBound(of sequence: Int64) -> Int {
        var low = 0
        var high = entries.count
        while low < high {
            let middle = (low + high) / 2
            if entries[middle].sequence < sequence { low = middle + 1 } else { high = middle }
        }
        return low
    }

    private mutating func squeeze() {
        var kept: [MessageMetadata] = []
        kept.reserveCapacity(count)
        for (entry, isRemoved) in zip(entries, removed) where !isRemoved {
            kept.append(entry)
        }
        entries = kept
        removed = Array(repeating: false, count: kept.count)
        holes = 0
    }
}
