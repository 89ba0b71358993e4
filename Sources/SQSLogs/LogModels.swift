/// A log group as `DescribeLogGroups` describes it.
public struct LogGroup: Sendable, Equatable {
    public var name: String
    /// Milliseconds since the epoch.
    public var creationTime: Int64
    public var retentionInDays: Int?
}

/// A log stream as `DescribeLogStreams` describes it.
public struct LogStream: Sendable, Equatable {
    public var name: String
    public var creationTime: Int64
    public var firstEventTimestamp: Int64?
    public var lastEventTimestamp: Int64?
    public var lastIngestionTime: Int64?
}

/// One stored log event.
public struct LogEvent: Sendable, Equatable {
    /// The row id: orders events with the same timestamp and makes the stable `eventId`.
    public var id: Int64
    public var streamName: String
    public var timestamp: Int64
    public var ingestionTime: Int64
    public var message: String

    /// The `eventId` of `FilterLogEvents`: a stable string of digits.
    public var eventID: String {
        let digits = String(id)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }
}

/// An event to store: what `PutLogEvents` sends.
public struct InputLogEvent: Sendable, Equatable {
    public var timestamp: Int64
    public var message: String

    public init(timestamp: Int64, message: String) {
        self.timestamp = timestamp
        self.message = message
    }
}

/// `rejectedLogEventsInfo` of `PutLogEvents`: index bounds of the events not stored.
public struct RejectedLogEvents: Sendable, Equatable {
    /// The index of the first too-new event (inclusive).
    public var tooNewStartIndex: Int?
    /// One past the index of the last too-old event (exclusive).
    public var tooOldEndIndex: Int?
    /// One past the index of the last event older than the retention period (exclusive).
    public var expiredEndIndex: Int?

    public var isEmpty: Bool { tooNewStartIndex == nil && tooOldEndIndex == nil && expiredEndIndex == nil }
}

/// A line the server appends to a stream, stamped when it was appended.
struct StampedLine: Sendable {
    var group: String
    var stream: String
    var timestamp: Int64
    var message: String
}
