extension QueueEngine {
    /// Lists a queue's messages without receiving them: no receive count, visibility or receipt
    /// handle changes, nothing written. Oldest first; expired messages are left out.
    /// - Parameters:
    ///   - includeInFlight: Also list messages that are in flight (received, not yet visible again).
    ///   - includeDelayed: Also list messages that are still delayed.
    public func peekMessages(
        _ key: QueueKey, includeInFlight: Bool = false, includeDelayed: Bool = false, offset: Int = 0, limit: Int = 1000
    ) async throws(EngineError) -> [PeekedMessage] {
        let state = try queue(key)
        let now = clock.now()
        var chosen: [(MessageMetadata, PeekedMessage.State)] = []
        for message in state.messages.values where !state.isExpired(message, now: now) {
            let messageState = Self.peekState(of: message, now: now)
            switch messageState {
            case .visible: break
            case .inFlight where !includeInFlight: continue
            case .delayed where !includeDelayed: continue
            default: break
            }
            chosen.append((message, messageState))
        }
        let page = Array(chosen.dropFirst(max(0, offset)).prefix(max(0, limit)))
        let states = Dictionary(uniqueKeysWithValues: page.map { ($0.0.sequence, $0.1) })
        return try await records(of: page.map(\.0), in: state).compactMap { record in
            states[record.sequence].map { PeekedMessage(record: record, state: $0) }
        }
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
