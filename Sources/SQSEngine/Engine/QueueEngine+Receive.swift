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
            if !received.isEmpty {
                observer?.messagesReceived(key, count: received.count)
                return received
            }
            let now = clock.now()
            if waitSeconds == 0 || now >= deadline || isShuttingDown || Task.isCancelled {
                observer?.messagesReceived(key, count: 0)
                return []
            }
            let wake = min(deadline, current.nextWakeAt(now: now).map { max($0, now) } ?? deadline)
            await waitForChange(queueID: queueID, until: wake)
        }
    }

    /// Takes what is receivable now, persists the new delivery state, then reads the chosen
    /// messages' content from the store.
    private func receiveAvailable(_ state: QueueState, _ input: ReceiveMessageInput) async throws(EngineError) -> [ReceivedMessage] {
        let now = clock.now()
        if let retried = try await retriedAttempt(state, input, now: now) { return retried }
        try checkInFlightLimit(state, now: now)
        let visibility = input.visibilityTimeout ?? state.settings.visibilityTimeout
        let redrive = deadLetterTarget(of: state)
        var changes: [StoreChange] = []
        var taken: [MessageMetadata] = []
        var movedToDeadLetterQueue: [QueueState] = []
        while taken.count < input.maxNumberOfMessages {
            let candidates: [MessageMetadata]
            if state.isFIFO {
                candidates = state.takeDeliverableFIFO(limit: input.maxNumberOfMessages - taken.count, now: now, expired: &changes)
            } else {
                candidates = state.popVisibleFairly(now: now, expired: &changes).map { [$0] } ?? []
            }
            if candidates.isEmpty { break }
            var stopFIFOBatch = false
            for var message in candidates {
                if let redrive, message.receiveCount >= redrive.maxReceiveCount {
                    changes.append(moveToDeadLetterQueue(message, from: state, to: redrive.queue, now: now))
                    movedToDeadLetterQueue.append(redrive.queue)
                    // A FIFO batch stops at a moved message; the next round looks at the group again.
                    if state.isFIFO { stopFIFOBatch = true; break }
                    continue
                }
                message.receiveCount += 1
                if message.firstReceivedAt == nil { message.firstReceivedAt = now }
                message.lastReceivedAt = now
                message.receiptToken = UInt64.random(in: 1...UInt64.max)
                message.visibleAt = now.adding(seconds: visibility)
                // On standard queues popVisible took the message's receive-order entry; it goes back
                // after the loop, so a message visible again at once (visibility timeout 0) is taken
                // once per receive.
                state.update(message, now: now, requeue: state.isFIFO)
                changes.append(.updateDelivery(MessageDelivery(message)))
                taken.append(message)
            }
            if state.isFIFO && !stopFIFOBatch { break }
        }
        if !state.isFIFO {
            for message in taken { state.putBack(message) }
        }
        try await persist(changes)
        for queue in movedToDeadLetterQueue { waiters.wakeAll(queueID: queue.id) }
        let received = try await records(of: taken, in: state).map { record in
            ReceivedMessage(record: record, receiptHandle: ReceiptHandle(queueID: state.id, sequence: record.sequence, token: record.receiptToken).encoded)
        }
        if let attempt = input.receiveRequestAttemptID, state.isFIFO {
            state.receiveAttempts[attempt] = QueueState.ReceiveAttempt(
                deliveries: taken.map { ($0.sequence, $0.receiptToken) }, expiresAt: now.adding(seconds: 300))
        }
        for message in received {
            logMessage("message received", message.record, queue: state.key)
        }
        return received
    }

    /// A FIFO receive retried with the same ReceiveRequestAttemptId within 5 minutes gets the same
    /// messages and receipt handles, as long as they are still in flight from that receive.
    private func retriedAttempt(_ state: QueueState, _ input: ReceiveMessageInput, now: Timestamp) async throws(EngineError) -> [ReceivedMessage]? {
        guard state.isFIFO, let attemptID = input.receiveRequestAttemptID else { return nil }
        state.receiveAttempts = state.receiveAttempts.filter { $0.value.expiresAt > now }
        guard let attempt = state.receiveAttempts[attemptID] else { return nil }
        let messages = attempt.deliveries.compactMap { delivery -> MessageMetadata? in
            guard let message = state.messages[delivery.sequence], message.receiptToken == delivery.token, message.visibleAt > now else {
                return nil
            }
            return message
        }
        if messages.isEmpty { return nil }
        return try await records(of: messages, in: state).map { record in
            ReceivedMessage(record: record, receiptHandle: ReceiptHandle(queueID: state.id, sequence: record.sequence, token: record.receiptToken).encoded)
        }
    }

    /// The most messages in flight per queue (standard and FIFO, as AWS documents today).
    static let inFlightLimit = 120_000

    private func checkInFlightLimit(_ state: QueueState, now: Timestamp) throws(EngineError) {
        guard state.messages.count >= Self.inFlightLimit else { return }
        state.settle(now: now)
        if state.counts(now: now).inFlight >= Self.inFlightLimit {
            throw EngineError(.overLimit, "You have exceeded the maximum number of in flight messages (\(Self.inFlightLimit)) for this queue.")
        }
    }
}
