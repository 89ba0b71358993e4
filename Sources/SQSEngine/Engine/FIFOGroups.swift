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
    func deliverable(limit: Int, now: Timestamp, messages: [Int64: MessageRecord], isExpired: (MessageRecord) -> Bool) -> [Int64] {
        var heads: [(sequence: Int64, group: String)] = []
        for (group, members) in groups {
            guard let first = members.first(where: { messages[$0].map { !isExpired($0) } ?? false }),
                let head = messages[first], head.visibleAt <= now
            else { continue }
            // A group with a message in flight is locked.
            let locked = members.contains { sequence in
                guard let message = messages[sequence] else { return false }
                return message.visibleAt > now && message.receiveCount > 0 && !isExpired(message)
            }
            if !locked { heads.append((first, group)) }
        }
        heads.sort { $0.sequence < $1.sequence }
        var result: [Int64] = []
        for head in heads {
            for sequence in groups[head.group] ?? [] {
                guard let message = messages[sequence] else { continue }
                if isExpired(message) { continue }
                guard message.visibleAt <= now else { break }
                result.append(sequence)
                if result.count == limit { return result }
            }
        }
        return result
    }

    /// The earliest future time a locked or delayed group could become deliverable.
    func nextChange(after now: Timestamp, messages: [Int64: MessageRecord]) -> Timestamp? {
        var earliest: Timestamp?
        for members in groups.values {
            for sequence in members {
                guard let message = messages[sequence], message.visibleAt > now else { continue }
                earliest = min(earliest ?? message.visibleAt, message.visibleAt)
            }
        }
        return earliest
    }
}
