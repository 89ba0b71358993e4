import Logging

extension QueueEngine {
    /// ReceiveMessage: returns up to `maxNumberOfMessages` visible messages, making them invisible
    /// for the visibility timeout. With a wait time, suspends until a message is available or the
    /// wait ends, woken by sends and by visibility/delay expiry (never by polling).
    public func receiveMessage(_ key: QueueKey, _ input: ReceiveMessageInput) async throws(EngineError) -> [ReceivedMessage] {
        let state = try queue(key)
        if !(1...10).contains(input.maxNumberOfMessages) {
            throw EngineError.invalidParameter(
                "MaxNumberOfMessages", value: String(input.maxNumberOfMessages), reason: "Must be between 1 and 10, if provided")
        }
        if let visibility = input.visibilityTimeout, !(0...43_200).contains(visibility) {
            throw EngineError.invalidParameter(
                "VisibilityTimeout", value: String(visibility), reason: "Must be >= 0 and <= 43200, if provided")
        }
        if let wait = input.waitTimeSeconds, !(0...20).contains(wait) {
            throw EngineError.invalidParameter("WaitTimeSeconds", value: String(wait), reason: "Must be >= 0 and <= 20, if provided")
        }
        let waitSeconds = input.waitTimeSeconds ?? state.settings.receiveWaitTime
        let deadline = clock.now().adding(seconds: waitSeconds)
        let queueID = state.id
        while true {
            // The queue may have been deleted (or re-created) while this receive waited.
            guard let current = queues[key], current.id == queueID else { return [] }
            let received = try await receiveAvailable(current, input)
            if !received.isEmpty { return received }
            let now = clock.now()
            if waitSeconds == 0 || now >= deadline || isShuttingDown || Task.isCancelled { return [] }
            let wake = min(deadline, current.nextVisibleAt.map { max($0, now) } ?? deadline)
            await waitForChange(queueID: queueID, until: wake)
        }
    }

    /// Takes what is receivable now and persists the new delivery state.
    private func receiveAvailable(_ state: QueueState, _ input: ReceiveMessageInput) async throws(EngineError) -> [ReceivedMessage] {
        let now = clock.now()
        let visibility = input.visibilityTimeout ?? state.settings.visibilityTimeout
        var changes: [StoreChange] = []
        var received: [ReceivedMessage] = []
        while received.count < input.maxNumberOfMessages, var message = state.popVisible(now: now, expired: &changes) {
            message.receiveCount += 1
            if message.firstReceivedAt == nil { message.firstReceivedAt = now }
            message.lastReceivedAt = now
            message.receiptToken = UInt64.random(in: 1...UInt64.max)
            message.visibleAt = now.adding(seconds: visibility)
            state.update(message)
            changes.append(.updateDelivery(MessageDelivery(message)))
            let handle = ReceiptHandle(queueID: state.id, sequence: message.sequence, token: message.receiptToken)
            received.append(ReceivedMessage(record: message, receiptHandle: handle.encoded))
        }
        try await persist(changes)
        if !received.isEmpty {
            logger.debug(
                "messages received",
                metadata: ["queue": "\(state.key)", "messageIds": "\(received.map(\.record.messageID).joined(separator: ","))"])
        }
        return received
    }
}
