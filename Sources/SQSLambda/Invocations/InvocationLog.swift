import Synchronization

/// The recent invocations of every function, newest last, with a bounded retention.
public final class InvocationLog: Sendable {
    /// The most records kept; older ones are dropped.
    public let capacity: Int
    /// The most bytes of an event or response kept in a record.
    public static let maxDocumentBytes = 64 * 1024

    private struct State {
        var records: [InvocationRecord] = []
        var nextID = 1
    }

    private let state = Mutex(State())

    /// Creates a log keeping at most `capacity` records.
    public init(capacity: Int = 1000) {
        self.capacity = capacity
    }

    /// Records a finished invocation and returns it with its id.
    @discardableResult
    public func record(
        function: String, mappingUUID: String?, invocation: Invocation, batchSize: Int, startedAt: Int64, duration: Int64,
        outcome: InvocationOutcome, status: InvocationRecord.Status? = nil, messageIDs: [String] = []
    ) -> InvocationRecord {
        let derived: InvocationRecord.Status
        var error: String?
        switch outcome.result {
        case .success: derived = .success
        case .functionError(let type, let message, _):
            derived = .error
            error = "\(type): \(message)"
        case .timedOut(let seconds):
            derived = .timeout
            error = "Task timed out after \(seconds).00 seconds"
        }
        return state.withLock { state in
            let record = InvocationRecord(
                id: state.nextID, functionName: function, mappingUUID: mappingUUID, requestID: invocation.requestID,
                batchSize: batchSize, startedAt: startedAt, durationMilliseconds: duration, status: status ?? derived, error: error,
                event: Self.truncated(invocation.payload), response: Self.truncated(outcome.responsePayload), logLines: outcome.logLines,
                messageIDs: messageIDs)
            state.nextID += 1
            state.records.append(record)
            if state.records.count > capacity {
                state.records.removeFirst(state.records.count - capacity)
            }
            return record
        }
    }

    /// Forgets every record (test suites' reset); ids keep growing.
    public func clear() {
        state.withLock { $0.records.removeAll() }
    }

    /// The records, newest first, optionally of one function, at most `limit`.
    public func recent(function: String? = nil, limit: Int = 100) -> [InvocationRecord] {
        state.withLock { state in
            Array(state.records.reversed().lazy.filter { function == nil || $0.functionName == function }.prefix(limit))
        }
    }

    /// The invocations whose event carried the message `messageID`, newest first.
    public func records(forMessage messageID: String) -> [InvocationRecord] {
        state.withLock { state in state.records.reversed().filter { $0.messageIDs.contains(messageID) } }
    }

    /// One record by id.
    public func record(id: Int) -> InvocationRecord? {
        state.withLock { state in state.records.first { $0.id == id } }
    }

    private static func truncated(_ bytes: [UInt8]) -> String {
        if bytes.count <= maxDocumentBytes { return String(decoding: bytes, as: UTF8.self) }
        return String(decoding: bytes.prefix(maxDocumentBytes), as: UTF8.self) + "…(truncated)"
    }
}
