extension QueueEngine {
    /// Lists a queue's messages without receiving them: no receive count, visibility or receipt
    /// handle changes, nothing written. Oldest first; expired messages are left out.
    /// - Parameters:
    ///   - includeInFlight: Also list messages that are in flight (received, not yet visible again).
    ///   - includeDelayed: Also list messages that are still delayed.
    public func peekMessages(
        _ key: QueueKey, includeInFlight: Bool = false, includeDelayed: Bool = false, offset: Int = 0, limit: Int = 1000
    ) async throws(EngineError) -> [PeekedMessage] {
        var states: Set<PeekedMessage.State> = [.visible]
        if includeInFlight { states.insert(.inFlight) }
        if includeDelayed { states.insert(.delayed) }
        return try await peekPage(key, offset: offset, limit: limit, states: states).messages
    }

    /// One page of a queue's messages in one state (or all), oldest first, and how many there are
    /// in all: what the admin page lists. Only the page's content is read from the store.
    public func peekMessagePage(
        _ key: QueueKey, state wanted: PeekedMessage.State?, offset: Int, limit: Int
    ) async throws(EngineError) -> (messages: [PeekedMessage], total: Int) {
        try await peekPage(key, offset: offset, limit: limit, states: wanted.map { [$0] } ?? [.visible, .inFlight, .delayed])
    }

    /// When only hidden states are wanted and fewer than one message in this many is in them, the
    /// page is taken from the hidden messages alone instead of a walk over the queue.
    static let peekHiddenDensity = 16

    /// Selects by metadata (no content read), then reads the content of the page only.
    ///
    /// Its cost follows the page, not the queue: the total comes from the queue's incremental
    /// counts, and the walk for the page stops once the page is full. It walks the hidden messages
    /// alone when only hidden states are wanted and they are sparse (so a few in-flight messages
    /// among a million are not searched for), else the queue in order, where matches are dense.
    private func peekPage(
        _ key: QueueKey, offset: Int, limit: Int, states wanted: Set<PeekedMessage.State>
    ) async throws(EngineError) -> (messages: [PeekedMessage], total: Int) {
        let state = try queue(key)
        let now = clock.now()
        let counts = state.counts(now: now)  // also settles the hidden set to `now`
        var skip = max(0, offset)
        let count = max(0, limit)
        var page: [(MessageMetadata, PeekedMessage.State)] = []
        // Looked up once: a walk past a deep offset asks for every message it passes.
        let (visible, inFlight, delayed) = (wanted.contains(.visible), wanted.contains(.inFlight), wanted.contains(.delayed))
        let total = (visible ? counts.visible : 0) + (inFlight ? counts.inFlight : 0) + (delayed ? counts.delayed : 0)
        /// Takes `message` if it is wanted and past the offset; false once the page is full.
        func take(_ message: MessageMetadata) -> Bool {
            guard !state.isExpired(message, now: now) else { return true }
            let messageState = Self.peekState(of: message, now: now)
            switch messageState {
            case .visible: guard visible else { return true }
            case .inFlight: guard inFlight else { return true }
            case .delayed: guard delayed else { return true }
            }
            if skip > 0 {
                skip -= 1
            } else {
                page.append((message, messageState))
            }
            return page.count < count
        }
        if count > 0, skip < total {
            if !visible, total * Self.peekHiddenDensity < state.messages.count {
                let sequences = state.hiddenSequences(inFlight: inFlight, delayed: delayed)
                for sequence in sequences {
                    guard let message = state.messages[sequence] else { continue }
                    if !take(message) { break }
                }
            } else {
                for message in state.messages.values {
                    if !take(message) { break }
                }
            }
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
