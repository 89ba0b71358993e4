import Logging
import FoundationEssentials

extension QueueEngine {
    /// SendMessage.
    public func sendMessage(_ key: QueueKey, _ input: SendMessageInput, senderID: String) async throws(EngineError) -> SendMessageResult {
        let state = try queue(key)
        let message = try makeMessage(input, for: state, senderID: senderID, now: clock.now(), inBatch: false)
        state.insert(message)
        try await persist([.insertMessage(message)])
        didAddMessages(to: state)
        logger.debug("message sent", metadata: ["queue": "\(key)", "messageId": "\(message.messageID)"])
        return Self.result(for: message)
    }

    /// SendMessageBatch: request-level checks fail the call; per-entry problems fail only that entry.
    public func sendMessageBatch(
        _ key: QueueKey, _ entries: [BatchEntry<SendMessageInput>], senderID: String
    ) async throws(EngineError) -> [BatchOutcome<SendMessageResult>] {
        let state = try queue(key)
        try BatchValidator.validate(ids: entries.map(\.id), entryName: "SendMessageBatchRequestEntry")
        let total = entries.reduce(0) { $0 + MessageValidator.messageSize(body: $1.value.body, attributes: $1.value.attributes) }
        if total > 1_048_576 {
            throw EngineError(.batchRequestTooLong, "Batch requests cannot be longer than 1048576 bytes. You have sent \(total) bytes.")
        }
        let now = clock.now()
        var outcomes: [BatchOutcome<SendMessageResult>] = []
        var changes: [StoreChange] = []
        for entry in entries {
            do {
                let message = try makeMessage(entry.value, for: state, senderID: senderID, now: now, inBatch: true)
                state.insert(message)
                changes.append(.insertMessage(message))
                outcomes.append(BatchOutcome(id: entry.id, result: .success(Self.result(for: message))))
            } catch {
                outcomes.append(BatchOutcome(id: entry.id, result: .failure(error)))
            }
        }
        try await persist(changes)
        if !changes.isEmpty { didAddMessages(to: state) }
        logger.debug("message batch sent", metadata: ["queue": "\(key)", "count": "\(changes.count)"])
        return outcomes
    }

    /// Validates a send and builds the message record (not yet inserted).
    func makeMessage(_ input: SendMessageInput, for state: QueueState, senderID: String, now: Timestamp, inBatch: Bool) throws(EngineError) -> MessageRecord {
        if input.body.isEmpty {
            throw EngineError.missingParameter("MessageBody")
        }
        let size = MessageValidator.messageSize(body: input.body, attributes: input.attributes)
        let maximum = state.settings.maximumMessageSize
        if size > maximum {
            let verb = inBatch ? "cannot be validated" : "are invalid"
            throw EngineError(.invalidParameterValue, "One or more parameters \(verb). Reason: Message must be shorter than \(maximum) bytes.")
        }
        try MessageValidator.validateBody(input.body)
        try MessageValidator.validateAttributes(input.attributes)
        try MessageValidator.validateSystemAttributes(input.systemAttributes)
        if let delay = input.delaySeconds, !(0...900).contains(delay) {
            throw EngineError.invalidParameter("DelaySeconds", value: String(delay), reason: "DelaySeconds must be >= 0 and <= 900")
        }
        if let group = input.messageGroupID {
            try Self.validateFIFOIdentifier(group, parameter: "MessageGroupId")
        }
        if let dedup = input.deduplicationID {
            try Self.validateFIFOIdentifier(dedup, parameter: "MessageDeduplicationId")
            if !state.isFIFO {
                throw EngineError.invalidParameter(
                    "MessageDeduplicationId", value: dedup, reason: "The request include parameter that is not valid for this queue type")
            }
        }
        let delay = input.delaySeconds ?? state.settings.delaySeconds
        return MessageRecord(
            queueID: state.id,
            sequence: nextSequence(),
            messageID: UUID().uuidString.lowercased(),
            body: input.body,
            attributes: input.attributes,
            systemAttributes: input.systemAttributes,
            md5OfBody: MessageDigest.md5Hex(of: input.body),
            md5OfAttributes: MessageDigest.md5Hex(of: input.attributes),
            md5OfSystemAttributes: MessageDigest.md5Hex(of: input.systemAttributes),
            senderID: senderID,
            sentAt: now,
            visibleAt: now.adding(seconds: delay),
            messageGroupID: input.messageGroupID
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

    static func result(for message: MessageRecord) -> SendMessageResult {
        SendMessageResult(
            messageID: message.messageID, md5OfBody: message.md5OfBody, md5OfAttributes: message.md5OfAttributes,
            md5OfSystemAttributes: message.md5OfSystemAttributes, sequenceNumber: message.sequenceNumber)
    }

    /// Wakes long polls after messages were added or made visible.
    func didAddMessages(to state: QueueState) {
        waiters.wakeAll(queueID: state.id)
    }
}
