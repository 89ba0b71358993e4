/// A position in a stream's or group's events, ordered by timestamp then row id: the content of
/// the `f/…`, `b/…` and `nextToken` tokens.
struct EventKey: Sendable, Equatable, Comparable {
    var timestamp: Int64
    var id: Int64

    static let origin = EventKey(timestamp: Int64.min, id: 0)

    static func < (lhs: EventKey, rhs: EventKey) -> Bool {
        (lhs.timestamp, lhs.id) < (rhs.timestamp, rhs.id)
    }

    /// `"<timestamp>-<id>"` (the prefix, such as `f/`, is the caller's).
    var text: String { "\(timestamp)_\(id)" }

    init(timestamp: Int64, id: Int64) {
        self.timestamp = timestamp
        self.id = id
    }

    init?(text: Substring) {
        let parts = text.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 2, let timestamp = Int64(parts[0]), let id = Int64(parts[1]) else { return nil }
        self.init(timestamp: timestamp, id: id)
    }
}
