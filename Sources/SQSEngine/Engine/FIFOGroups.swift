import DequeModule

/// The message groups of a FIFO queue: each group's messages in send order, and which are
/// deliverable now.
///
/// A group delivers strictly in order, and not at all while any of its messages is in flight.
/// Receives take the group whose first message is oldest first and fill the batch from one group
/// before moving to the next, so a receive returns messages of the same group together as AWS does,
/// and groups interleave across receives.
struct FIFOGroups {
    private(set) var groups: [String: Deque<Int64>] = [:]

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
        groups[group] = members.isEmpty ? nil : members
    }

    mutating func removeAll() {
        groups.removeAll()
    }

    /// The messages deliverable now, in order, at most `limit`.
    ///
    /// Expired messages must already be removed. Costs O(groups) plus the messages returned: a
    /// group's lock comes from `isLocked` (kept by the queue), not from a scan of its messages.
    func deliverable(limit: Int, now: Timestamp, messages: [Int64: MessageMetadata], isLocked: (String) -> Bool) -> [Int64] {
        var heads: [(sequence: Int64, group: String)] = []
        for (group, members) in groups {
            guard let first = members.first, let head = messages[first], head.visibleAt <= now, !isLocked(group) else { continue }
            heads.append((first, group))
        }
        heads.sort { $0.sequence < $1.sequence }
        var result: [Int64] = []
        for head in heads {
            for sequence in groups[head.group] ?? [] {
                guard let message = messages[sequence], message.visibleAt <= now else { break }
                result.append(sequence)
                if result.count == limit { return result }
            }
        }
        return result
    }
}
