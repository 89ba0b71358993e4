import DequeModule

/// The message groups of a FIFO queue: each group's messages in send order, and which are
/// deliverable now.
///
/// A group delivers strictly in order: the messages from its head up to (not including) its first
/// message that is not visible (in flight, or delayed). So while a message is in flight the ones
/// after it wait, but earlier ones that are visible again (their visibility timeout ended or was set
/// to 0) are delivered. Receives serve the least recently served group first (never served: oldest
/// first message first) and fill the batch from one group before moving to the next, so a receive
/// returns messages of the same group together as AWS does, and groups take turns across receives.
struct FIFOGroups {
    private(set) var groups: [String: Deque<Int64>] = [:]
    /// When each group was last served, as a count of receives that took from a group.
    private var lastServed: [String: UInt64] = [:]
    private var serves: UInt64 = 0

    mutating func append(group: String, sequence: Int64) {
        groups[group, default: []].append(sequence)
    }

    mutating func remove(group: String, sequence: Int64) {
        guard var members = groups[group] else { return }
        if members.first == sequence {
            members.removeFirst()
        } else if let index = members.firstIndex(of: sequence) {
            members.remove(at: index)
        }
        if members.isEmpty {
            groups[group] = nil
            lastServed[group] = nil
        } else {
            groups[group] = members
        }
    }

    mutating func removeAll() {
        groups.removeAll()
        lastServed.removeAll()
    }

    /// Records that a receive took messages of `group`.
    mutating func served(_ group: String) {
        serves += 1
        lastServed[group] = serves
    }

    /// The messages deliverable now, in order, at most `limit`, with the groups they come from.
    ///
    /// Expired messages must already be removed. Costs O(groups log groups) plus the messages
    /// returned; no group's messages are scanned beyond its deliverable prefix.
    func deliverable(limit: Int, now: Timestamp, messages: MessageTable) -> [(group: String, sequence: Int64)] {
        var heads: [(served: UInt64, sequence: Int64, group: String)] = []
        for (group, members) in groups {
            guard let first = members.first, let head = messages[first], head.visibleAt <= now else { continue }
            heads.append((lastServed[group] ?? 0, first, group))
        }
        heads.sort { ($0.served, $0.sequence) < ($1.served, $1.sequence) }
        var result: [(group: String, sequence: Int64)] = []
        for head in heads {
            for sequence in groups[head.group] ?? [] {
                guard let message = messages[sequence], message.visibleAt <= now else { break }
                result.append((head.group, sequence))
                if result.count == limit { return result }
            }
        }
        return result
    }
}
