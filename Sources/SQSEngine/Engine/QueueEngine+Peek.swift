extension QueueEngine {
    /// Lists a queue's messages without receiving them: no receive count, visibility or receipt
    /// handle changes, nothing written. Oldest first; expired messages are left out.
    /// - Parameters:
    ///   - includeInFlight: Also list messages that are in flight (received, not yet visible again).
    ///   - includeDelayed: Also list messages that are still delayed.
    public func peekMessages(
        _ key: QueueKey, includeInFlight: Bool = false, includeDelayed: Bool = false, offset: Int = 0, limit: Int = 1000
    ) async throws(EngineError) -> [PeekedMessage] {
        try await peekPage(key, offset: offset, limit: limit) { state in
            switch state {
            case .visible: true
            case .inFlight: includeInFlight
            case .delayed: includeDelayed
            }
        }.messages
    }

    /// One page of a queue's messages in one state (or all), oldest first, and how many there are
    /// in all: what the admin page lists. Only the page's content is read from the store.
    public func peekMessagePage(
        _ key: QueueKey, state wanted: PeekedMessage.State?, offset: Int, limit: Int
    ) async throws(EngineError) -> (messages: [PeekedMessage], total: Int) {
        try await peekPage(key, offset: offset, limit: limit) { wanted == nil || $0 == wanted }
    }

    /// Selects by metadata (no content read), then reads the content of the page only.
    private func peekPage(
        _ key: QueueKey, offset: Int, limit: Int, includes: (PeekedMessage.State) -> Bool
    ) async throws(EngineError) -> (messages: [PeekedMessage], total: Int) {
        let state = try queue(key)
        let now = clock.now()
        let first = max(0, offset)
        let count = max(0, limit)
        var total = 0
        var page: [(MessageMetadata, PeekedMessage.State)] = []
        for message in state.messages.values where !state.isExpired(message, now: now) {
            let messageState = Self.peekState(of: message, now: now)
            guard includes(messageState) else { continue }
            if total >= first && page.count < count { page.append((message, messageState)) }
            total += 1
        }
        let states = Dictionary(uniqueKeysWithValues: page.map { ($0.0.sequence, $0.1) })
        let messages = try await records(of: page.map(\.0), in: state).compactMap { record in
            states[record.sequence].map { PeekedMessage(record: record, state: $0) }
        }
        return (messages, total)
    }
}

/// A message as a peek shows it: the stored record and whether it is visible, in flight or delayed.
public struct PeekedMessage: Sendable {
    /// Where the message is in its life.
    public enum State: String, Sendable {
        case visible, inFlight, delayed
    }

    /// The stored message.
    public var record: MessageRecord
    /// Visible, in flight or delayed, now.
    public var state: State

    /// The system attributes a receive would return (the receive count as it is now).
    public var systemAttributes: [String: String] {
        ReceivedMessage(record: record, receiptHandle: "").systemAttributes
    }
}
