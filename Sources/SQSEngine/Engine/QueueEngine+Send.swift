import Logging
import FoundationEssentials

extension QueueEngine {
    /// SendMessage. Digests, ids and content checks run before the call reaches the actor.
    /// The commit is awaited off the actor (see ``submit(_:)``).
    public nonisolated func sendMessage(_ key: QueueKey, _ input: SendMessageInput, senderID: String) async throws(EngineError) -> SendMessageResult {
        let (result, ticket) = try await enqueue(key, PreparedSend(input), senderID: senderID)
        try await awaitCommit(ticket)
        return result
    }

    private func enqueue(_ key: QueueKey, _ prepared: PreparedSend, senderID: String) throws(EngineError) -> (SendMessageResult, CommitTicket?) {
        let state = try queue(key)
        let now = clock.now()
        let message = try makeMessage(prepared, for: state, senderID: senderID, now: now, inBatch: false)
        if let duplicate = duplicateResult(of: message, in: state, now: now) { return (duplicate, nil) }
        state.insert(MessageMetadata(message, messageID: prepared.messageUUID), now: now)
        var changes: [StoreChange] = [.insertMessage(message)]
        if let deduplication = rememberDeduplication(of: message, in: state, now: now) { changes.append(deduplication) }
        let ticket = try submit(changes)
        observer?.messageSent(key, size: prepared.size)
        didAddMessages(1, to: state)
        logMessage("message sent", message, queue: key)
        return (Self.result(for: message), ticket)
    }

    /// SendMessageBatch: request-level checks fail the call; per-entry problems fail only that entry.
    /// Digests, ids and content checks run before the call reaches the actor, and so do the request's
    /// entry-id and total-size checks (their error is thrown after the queue lookup, as before). The
    /// commit is awaited off the actor (see ``submit(_:)``).
    public nonisolated func sendMessageBatch(
        _ key: QueueKey, _ entries: [BatchEntry<SendMessageInput>], senderID: String
    ) async throws(EngineError) -> [BatchOutcome<SendMessageResult>] {
        let prepared = entries.map { BatchEntry(id: $0.id, value: PreparedSend($0.value)) }
        let (outcomes, ticket) = try await enqueueBatch(key, prepared, requestError: Self.batchRequestError(prepared), senderID: senderID)
        try await awaitCommit(ticket)
        return outcomes
    }

    /// The error of a batch whose entry ids are invalid or whose messages are too large together.
    private nonisolated static func batchRequestError(_ entries: [BatchEntry<PreparedSend>]) -> EngineError? {
        do {
            try BatchValidator.validate(ids: entries.map(\.id), entryName: "SendMessageBatchRequestEntry")
        } catch {
            return error
        }
        let total = entries.reduce(0) { $0 + $1.value.size }
        if total > 1_048_576 {
            return EngineError(.batchRequestTooLong, "Batch requests cannot be longer than 1048576 bytes. You have sent \(total) bytes.")
        }
        return nil
    }

    private func enqueueBatch(
        _ key: QueueKey, _ entries: [BatchEntry<PreparedSend>], requestError: EngineError?, senderID: String
    ) throws(EngineError) -> ([BatchOutcome<SendMessageResult>], CommitTicket?) {
        let state = try queue(key)
        if let requestError { throw requestError }
        // On FIFO queues a missing group id fails the whole request (a different code than SendMessage's).
        if state.isFIFO && entries.contains(where: { $0.value.input.messageGroupID == nil }) {
            throw EngineError(.invalidParameterValue, "The request must contain the parameter MessageGroupId.")
        }
        // So does an entry without a deduplication id when content-based deduplication is off.
        if state.isFIFO && state.record.attributes["ContentBasedDeduplication"] != "true"
            && entries.contains(where: { $0.value.input.deduplicationID == nil })
        {
            throw EngineError(
                .invalidParameterValue,
                "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
        }
        let now = clock.now()
        var outcomes: [BatchOutcome<SendMessageResult>] = []
        outcomes.reserveCapacity(entries.count)
        var changes: [StoreChange] = []
        changes.reserveCapacity(entries.count)
        // Counted while the changes are made: matching them again afterwards copied every record.
        var sizes: [Int] = []
        sizes.reserveCapacity(entries.count)
        for entry in entries {
            do {
                let message = try makeMessage(entry.value, for: state, senderID: senderID, now: now, inBatch: true)
                if let duplicate = duplicateResult(of: message, in: state, now: now) {
                    outcomes.append(BatchOutcome(id: entry.id, result: .success(duplicate)))
                    continue
                }
                state.insert(MessageMetadata(message, messageID: entry.value.messageUUID), now: now)
                outcomes.append(BatchOutcome(id: entry.id, result: .success(Self.result(for: message))))
                sizes.append(entry.value.size)
                let deduplication = rememberDeduplication(of: message, in: state, now: now)
                // Moved, not copied (a copy is a retain and a release per string of the message).
                changes.append(.insertMessage(consume message))
                if let deduplication { changes.append(deduplication) }
            } catch {
                outcomes.append(BatchOutcome(id: entry.id, result: .failure(error)))
            }
        }
        if logger.logLevel <= .debug {
            for case .insertMessage(let message) in changes {
                logMessage("message sent", message, queue: key)
            }
        }
        let ticket = try submit(changes)
        didAddMessages(sizes.count, to: state)
        if let observer, !sizes.isEmpty { observer.messagesSent(key, sizes: sizes) }
        return (outcomes, ticket)
    }

    /// Validates a send against its queue and builds the message record (not yet inserted).
    func makeMessage(_ prepared: PreparedSend, for state: QueueState, senderID: String, now: Timestamp, inBatch: Bool) throws(EngineError) -> MessageRecord {
        let input = prepared.input
        if input.body.isEmpty {
            throw EngineError.missingParameter("MessageBody")
        }
        let maximum = state.settings.maximumMessageSize
        if prepared.size > maximum {
            let verb = inBatch ? "cannot be validated" : "are invalid"
            throw EngineError(.invalidParameterValue, "One or more parameters \(verb). Reason: Message must be shorter than \(maximum) bytes.")
        }
        if let error = prepared.contentError { throw error }
        if let delay = input.delaySeconds, !(0...900).contains(delay) {
            throw EngineError.invalidParameter("DelaySeconds", value: String(delay), reason: "DelaySeconds must be >= 0 and <= 900")
        }
        if let group = input.messageGroupID {
            try Self.validateFIFOIdentifier(group, parameter: "MessageGroupId")
        }
        var deduplicationID = input.deduplicationID
        if state.isFIFO {
            guard input.messageGroupID != nil else { throw EngineError.missingParameter("MessageGroupId") }
            if let delay = input.delaySeconds, delay != 0 {
                throw EngineError.invalidParameter(
                    "DelaySeconds", value: String(delay), reason: "The request include parameter that is not valid for this queue type")
            }
            if deduplicationID == nil {
                guard state.record.attributes["ContentBasedDeduplication"] == "true" else {
                    throw EngineError(
                        .invalidParameterValue,
                        "The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly")
                }
                deduplicationID = prepared.contentDigest ?? MessageDigest.sha256Hex(of: input.body)
            }
        }
        if let dedup = input.deduplicationID {
            try Self.validateFIFOIdentifier(dedup, parameter: "MessageDeduplicationId")
            if !state.isFIFO {
                throw EngineError.invalidParameter(
                    "MessageDeduplicationId", value: dedup, reason: "The request include parameter that is not valid for this queue type")
            }
        }
        let delay = state.isFIFO ? state.settings.delaySeconds : input.delaySeconds ?? state.settings.delaySeconds
        let sequence = nextSequence()
        return MessageRecord(
            queueID: state.id,
            sequence: sequence,
            messageID: prepared.messageID,
            body: input.body,
            attributes: input.attributes,
            systemAttributes: input.systemAttributes,
            md5OfBody: prepared.md5OfBody,
            md5OfAttributes: prepared.md5OfAttributes,
            md5OfSystemAttributes: prepared.md5OfSystemAttributes,
            senderID: senderID,
            sentAt: now,
            visibleAt: now.adding(seconds: delay),
            messageGroupID: input.messageGroupID,
            deduplicationID: state.isFIFO ? deduplicationID : nil,
            sequenceNumber: state.isFIFO ? Self.sequenceNumber(sequence) : nil
        )
    }

    static func validateFIFOIdentifier(_ value: String, parameter: String) throws(EngineError) {
        let valid = !value.isEmpty && value.utf8.count <= 128 && value.utf8.allSatisfy { $0 >= 0x21 && $0 <= 0x7e }
        if !valid {
            throw EngineError.invalidParameter(
                parameter, value: value,
                reason: "\(parameter) can only include alphanumeric and punctuation characters. 1 to 128 in length")
        }
    }

    /// The deduplication window of FIFO queues.
    static let deduplicationWindow = 300

    private func deduplicationKey(of message: MessageRecord, in state: QueueState) -> QueueState.DeduplicationScopeKey? {
        guard state.isFIFO, let id = message.deduplicationID else { return nil }
        let scope = state.record.attributes["DeduplicationScope"] == "messageGroup" ? message.messageGroupID ?? "" : ""
        return QueueState.DeduplicationScopeKey(scope: scope, deduplicationID: id)
    }

    /// For a FIFO message whose deduplication id was seen in the last 5 minutes: the original
    /// message's id and sequence number (the send is accepted but nothing is enqueued).
    ///
    /// An id seen under the other DeduplicationScope (before the queue's scope was changed) still
    /// counts, as on AWS: queue scope remembers it for every group, message-group scope for its group.
    private func duplicateResult(of message: MessageRecord, in state: QueueState, now: Timestamp) -> SendMessageResult? {
        guard let key = deduplicationKey(of: message, in: state) else { return nil }
        let otherScope = key.scope.isEmpty ? message.messageGroupID ?? "" : ""
        let candidates = [key, QueueState.DeduplicationScopeKey(scope: otherScope, deduplicationID: key.deduplicationID)]
        guard let seen = candidates.lazy.compactMap({ state.deduplications[$0] }).first(where: { $0.expiresAt > now }) else {
            return nil
        }
        var result = Self.result(for: message)
        result.messageID = seen.messageID
        result.sequenceNumber = seen.sequenceNumber
        return result
    }

    private func rememberDeduplication(of message: MessageRecord, in state: QueueState, now: Timestamp) -> StoreChange? {
        guard let key = deduplicationKey(of: message, in: state), let sequenceNumber = message.sequenceNumber else { return nil }
        let record = DeduplicationRecord(
            queueID: state.id, scope: key.scope, deduplicationID: key.deduplicationID, messageID: message.messageID,
            sequenceNumber: sequenceNumber, expiresAt: now.adding(seconds: Self.deduplicationWindow))
        state.deduplications[key] = record
        return .saveDeduplication(record)
    }

    static func result(for message: MessageRecord) -> SendMessageResult {
        SendMessageResult(
            messageID: message.messageID, md5OfBody: message.md5OfBody, md5OfAttributes: message.md5OfAttributes,
            md5OfSystemAttributes: message.md5OfSystemAttributes, sequenceNumber: message.sequenceNumber)
    }

    /// Wakes one long poll per message added (the longest waiting first).
    func didAddMessages(_ count: Int, to state: QueueState) {
        waiters.wake(queueID: state.id, count: count)
    }
}
