import Logging

extension QueueEngine {
    /// DeleteMessage. A handle from an older receive still deletes the message on a standard queue,
    /// as on AWS; deleting a message that is already gone succeeds. The commit is awaited off the
    /// actor (see ``submit(_:)``).
    public nonisolated func deleteMessage(_ key: QueueKey, receiptHandle: String) async throws(EngineError) {
        try await awaitCommit(try await applyDeletion(key, receiptHandle: receiptHandle))
    }

    private func applyDeletion(_ key: QueueKey, receiptHandle: String) throws(EngineError) -> CommitTicket? {
        let state = try queue(key)
        guard let change = try deletion(in: state, receiptHandle: receiptHandle) else { return nil }
        let ticket = try submit([change])
        observer?.messagesDeleted(key, count: 1)
        if state.isFIFO { waiters.wakeAll(queueID: state.id) }
        return ticket
    }

    /// DeleteMessageBatch. The commit is awaited off the actor (see ``submit(_:)``).
    public nonisolated func deleteMessageBatch(_ key: QueueKey, _ entries: [BatchEntry<String>]) async throws(EngineError) -> [BatchOutcome<Void>] {
        let (outcomes, ticket) = try await applyDeletions(key, entries)
        try await awaitCommit(ticket)
        return outcomes
    }

    private func applyDeletions(_ key: QueueKey, _ entries: [BatchEntry<String>]) throws(EngineError) -> ([BatchOutcome<Void>], CommitTicket?) {
        let state = try queue(key)
        try BatchValidator.validate(ids: entries.map(\.id), entryName: "DeleteMessageBatchRequestEntry")
        var changes: [StoreChange] = []
        var outcomes: [BatchOutcome<Void>] = []
        for entry in entries {
            do {
                if let change = try deletion(in: state, receiptHandle: entry.value) { changes.append(change) }
                outcomes.append(BatchOutcome(id: entry.id, result: .success(())))
            } catch {
                outcomes.append(BatchOutcome(id: entry.id, result: .failure(error)))
            }
        }
        let ticket = try submit(changes)
        if !changes.isEmpty { observer?.messagesDeleted(key, count: changes.count) }
        // Deleting a FIFO message unlocks its group, as DeleteMessage does.
        if state.isFIFO && !changes.isEmpty { waiters.wakeAll(queueID: state.id) }
        return (outcomes, ticket)
    }

    /// ChangeMessageVisibility. Zero makes the message visible at once.
    public func changeMessageVisibility(_ key: QueueKey, receiptHandle: String, visibilityTimeout: Int) async throws(EngineError) {
        let state = try queue(key)
        let change = try visibilityChange(in: state, receiptHandle: receiptHandle, timeout: visibilityTimeout)
        if let change { try await persist([change]) }
        // Any change re-times waiting receives: a shorter timeout makes the message visible sooner.
        if change != nil { waiters.wakeAll(queueID: state.id) }
    }

    /// ChangeMessageVisibilityBatch.
    public func changeMessageVisibilityBatch(
        _ key: QueueKey, _ entries: [BatchEntry<(receiptHandle: String, visibilityTimeout: Int)>]
    ) async throws(EngineError) -> [BatchOutcome<Void>] {
        let state = try queue(key)
        try BatchValidator.validate(ids: entries.map(\.id), entryName: "ChangeMessageVisibilityBatchRequestEntry")
        var changes: [StoreChange] = []
        var outcomes: [BatchOutcome<Void>] = []
        for entry in entries {
            do {
                if let change = try visibilityChange(in: state, receiptHandle: entry.value.receiptHandle, timeout: entry.value.visibilityTimeout) {
                    changes.append(change)
                }
                outcomes.append(BatchOutcome(id: entry.id, result: .success(())))
            } catch {
                outcomes.append(BatchOutcome(id: entry.id, result: .failure(error)))
            }
        }
        try await persist(changes)
        waiters.wakeAll(queueID: state.id)
        return outcomes
    }

    func decode(_ receiptHandle: String, for state: QueueState) throws(EngineError) -> ReceiptHandle {
        guard let handle = ReceiptHandle(encoded: receiptHandle), handle.queueID == state.id else {
            throw EngineError(.receiptHandleIsInvalid, "The input receipt handle \"\(receiptHandle)\" is not a valid receipt handle.")
        }
        return handle
    }

    private func deletion(in state: QueueState, receiptHandle: String) throws(EngineError) -> StoreChange? {
        let handle = try decode(receiptHandle, for: state)
        guard let message = state.messages[handle.sequence] else { return nil }
        // On FIFO queues a handle whose visibility timeout has passed can no longer delete.
        if state.isFIFO && (message.receiptToken != handle.token || message.visibleAt <= clock.now()) {
            throw EngineError.invalidParameter("ReceiptHandle", value: receiptHandle, reason: "The receipt handle has expired")
        }
        state.remove(sequence: handle.sequence)
        logMessage("message deleted", message, queue: state.key)
        return .deleteMessage(queueID: state.id, sequence: handle.sequence)
    }

    private func visibilityChange(in state: QueueState, receiptHandle: String, timeout: Int) throws(EngineError) -> StoreChange? {
        let handle = try decode(receiptHandle, for: state)
        if !(0...43_200).contains(timeout) {
            throw EngineError.invalidParameter(
                "VisibilityTimeout", value: String(timeout), reason: "Must be between 0 and 43200, if provided")
        }
        guard var message = state.messages[handle.sequence] else {
            throw EngineError.invalidParameter(
                "ReceiptHandle", value: receiptHandle, reason: "Message does not exist or is not available for visibility timeout change")
        }
        let now = clock.now()
        // A message that is no longer in flight is left alone; AWS answers success. A handle from an
        // older receive of a message that is in flight still applies, as on AWS.
        guard message.visibleAt > now, message.receiveCount > 0 else { return nil }
        if let received = message.lastReceivedAt, now.adding(seconds: timeout).milliseconds - received.milliseconds > 43_200_000 {
            throw EngineError.invalidParameter(
                "VisibilityTimeout", value: String(timeout), reason: "Total VisibilityTimeout for the message is beyond the limit [43200 seconds]")
        }
        message.visibleAt = now.adding(seconds: timeout)
        state.update(message, now: now)
        logMessage("message visibility changed", message, queue: state.key, extra: ["visibilityTimeout": "\(timeout)"])
        return .updateDelivery(MessageDelivery(message))
    }
}
