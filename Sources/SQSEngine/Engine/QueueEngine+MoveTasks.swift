import FoundationEssentials
import Logging

extension QueueEngine {
    /// StartMessageMoveTask: moves the messages of a dead-letter queue back to their source queues
    /// (or to `destinationArn`) in the background. Returns the task handle.
    public func startMessageMoveTask(sourceArn: String, destinationArn: String?, maxNumberOfMessagesPerSecond: Int?) async throws(EngineError) -> String {
        guard let sourceKey = QueueKey(arn: sourceArn), let source = queues[sourceKey] else {
            throw EngineError(.resourceNotFound, "The resource that you specified for the SourceArn parameter doesn't exist.")
        }
        guard queues.values.contains(where: { deadLetterTarget(of: $0)?.queue.id == source.id }) else {
            throw EngineError(.invalidParameterValue, "Source queue must be configured as a Dead Letter Queue.")
        }
        if let destinationArn {
            guard let key = QueueKey(arn: destinationArn), queues[key] != nil else {
                throw EngineError(.resourceNotFound, "The resource that you specified for the DestinationArn parameter doesn't exist.")
            }
        }
        if let rate = maxNumberOfMessagesPerSecond, !(1...500).contains(rate) {
            throw EngineError.invalidParameter(
                "MaxNumberOfMessagesPerSecond", value: String(rate), reason: "Value must be greater than 0 and less than or equal to 500")
        }
        if moveTasks.contains(where: { $0.sourceArn == sourceArn && $0.status == .running }) {
            throw EngineError(
                .invalidParameterValue, "There is already a task running. Only one active task is allowed for a source queue arn at a given time.")
        }
        let task = MoveTaskRecord(
            taskID: RandomID.uuidString(), sourceArn: sourceArn, destinationArn: destinationArn,
            maxNumberOfMessagesPerSecond: maxNumberOfMessagesPerSecond, status: .running, startedAt: clock.now(),
            toMove: source.messages.count)
        moveTasks.append(task)
        try await persist([.saveMoveTask(task)])
        startRunner(for: task.taskID)
        logger.info("message move task started", metadata: ["source": "\(sourceArn)", "taskId": "\(task.taskID)"])
        return Self.taskHandle(task)
    }

    /// ListMessageMoveTasks: the most recent tasks of a source queue, newest first.
    public func listMessageMoveTasks(sourceArn: String, maxResults: Int?) throws(EngineError) -> [MoveTaskRecord] {
        guard let sourceKey = QueueKey(arn: sourceArn) else {
            throw EngineError(
                .invalidParameterValue,
                "You must use this format to specify the SourceArn: arn:<partition>:<service>:<region>:<account-id>:<resource-id>")
        }
        guard let source = queues[sourceKey] else {
            throw EngineError(.resourceNotFound, "The resource that you specified for the SourceArn parameter doesn't exist.")
        }
        let limit = maxResults ?? 1
        if !(1...10).contains(limit) {
            throw EngineError.invalidParameter("MaxResults", value: String(limit), reason: "Value must be between 1 and 10")
        }
        // Tasks of a deleted queue of the same name are gone with it.
        return Array(moveTasks.reversed().filter { $0.sourceArn == sourceArn && $0.startedAt >= source.record.createdAt }.prefix(limit))
    }

    /// CancelMessageMoveTask: stops a running task; messages already moved stay moved.
    public func cancelMessageMoveTask(taskHandle: String) async throws(EngineError) -> Int {
        guard let (taskID, sourceArn) = Self.decodeTaskHandle(taskHandle) else {
            throw EngineError(.invalidParameterValue, "Value for parameter TaskHandle is invalid.")
        }
        guard let sourceKey = QueueKey(arn: sourceArn), queues[sourceKey] != nil else {
            throw EngineError(.resourceNotFound, "The resource that you specified for the SourceArn parameter doesn't exist.")
        }
        guard let index = moveTasks.firstIndex(where: { $0.taskID == taskID }) else {
            throw EngineError(.resourceNotFound, "Task does not exist.")
        }
        guard moveTasks[index].status == .running else {
            throw EngineError(.invalidParameterValue, "Only active tasks can be cancelled.")
        }
        moveTasks[index].status = .cancelled
        moveTaskRunners.removeValue(forKey: taskID)?.cancel()
        try await persist([.saveMoveTask(moveTasks[index])])
        return moveTasks[index].moved
    }

    /// Takes the stored tasks: resumes those that are running (at startup, or after a reload),
    /// stops the runners of the others.
    func restoreMoveTasks(_ tasks: [MoveTaskRecord]) {
        moveTasks = tasks
        let running = Set(tasks.filter { $0.status == .running }.map(\.taskID))
        for (taskID, runner) in moveTaskRunners where !running.contains(taskID) {
            runner.cancel()
            moveTaskRunners[taskID] = nil
        }
        for taskID in running where moveTaskRunners[taskID] == nil {
            startRunner(for: taskID)
        }
    }

    func stopMoveTaskRunners() {
        for runner in moveTaskRunners.values { runner.cancel() }
        moveTaskRunners.removeAll()
    }

    private func startRunner(for taskID: String) {
        let clock = self.clock
        moveTaskRunners[taskID] = Task { [weak self] in
            while !Task.isCancelled, let self {
                guard let pause = await self.moveTaskStep(taskID) else { return }
                if pause > 0 {
                    do { try await clock.sleep(until: clock.now().adding(seconds: pause)) } catch { return }
                } else {
                    await Task.yield()
                }
            }
        }
    }

    /// Moves one slice of a task's messages in one transaction. Returns the pause before the next
    /// slice (seconds), or `nil` when the task has ended.
    func moveTaskStep(_ taskID: String) async -> Int? {
        guard let index = moveTasks.firstIndex(where: { $0.taskID == taskID }), moveTasks[index].status == .running else { return nil }
        var task = moveTasks[index]
        let now = clock.now()
        guard let sourceKey = QueueKey(arn: task.sourceArn), let source = queues[sourceKey], source.record.createdAt <= task.startedAt else {
            return await finish(task, at: index, status: .failed, reason: "AWS.SimpleQueueService.NonExistentQueue")
        }
        let slice = task.maxNumberOfMessagesPerSecond ?? 100
        // The visible messages in receive order: O(log n) each, never a sort of the whole queue.
        var changes: [StoreChange] = []
        var batch: [MessageMetadata] = []
        while batch.count < slice, let message = source.popVisible(now: now, expired: &changes) {
            batch.append(message)
        }
        if batch.isEmpty {
            try? await persist(changes)
            return await finish(task, at: index, status: .completed, reason: nil)
        }
        var touched: [QueueState] = []
        for (position, message) in batch.enumerated() {
            guard let arn = task.destinationArn ?? message.deadLetterSourceArn, let key = QueueKey(arn: arn), let destination = queues[key] else {
                // Not moved: their receive-order entries go back.
                for unmoved in batch[position...] { source.putBack(unmoved) }
                if task.moved > moveTasks[index].moved { break }
                try? await persist(changes)
                return await finish(task, at: index, status: .failed, reason: "AWS.SimpleQueueService.NonExistentQueue")
            }
            changes += moveMessage(message, from: source, to: destination, now: now)
            touched.append(destination)
            task.moved += 1
        }
        task.toMove = max(task.toMove, task.moved)
        moveTasks[index] = task
        changes.append(.saveMoveTask(task))
        do {
            try await persist(changes)
        } catch {
            // The stored state was reloaded: the slice was not moved, and the task is as last saved.
            logger.error("message move task commit failed", metadata: ["taskId": "\(taskID)"])
            guard let index = moveTasks.firstIndex(where: { $0.taskID == taskID }), moveTasks[index].status == .running else { return nil }
            return await finish(moveTasks[index], at: index, status: .failed, reason: "InternalError")
        }
        for queue in touched { waiters.wakeAll(queueID: queue.id) }
        return task.maxNumberOfMessagesPerSecond == nil ? 0 : 1
    }

    private func finish(_ task: MoveTaskRecord, at index: Int, status: MoveTaskRecord.Status, reason: String?) async -> Int? {
        var task = task
        task.status = status
        task.failureReason = reason
        if status == .completed { task.toMove = task.moved }
        moveTasks[index] = task
        moveTaskRunners[task.taskID] = nil
        try? await persist([.saveMoveTask(task)])
        logger.info(
            "message move task ended",
            metadata: ["source": "\(task.sourceArn)", "taskId": "\(task.taskID)", "status": "\(status.rawValue)", "moved": "\(task.moved)"])
        return nil
    }

    /// Moves a message out of a dead-letter queue into `destination` as a new, visible message
    /// (same id, body and attributes; receive count reset), in one change.
    private func moveMessage(_ message: MessageMetadata, from source: QueueState, to destination: QueueState, now: Timestamp) -> [StoreChange] {
        logMessage("message moved by a move task", message, queue: source.key, extra: ["destination": "\(destination.key)"])
        source.remove(sequence: message.sequence)
        var moved = message
        moved.queueID = destination.id
        moved.sequence = nextSequence()
        moved.visibleAt = now.adding(seconds: destination.settings.delaySeconds)
        moved.receiveCount = 0
        moved.firstReceivedAt = nil
        moved.lastReceivedAt = nil
        moved.receiptToken = 0
        moved.deadLetterSourceArn = nil
        var sequenceNumber: String?
        if destination.isFIFO {
            sequenceNumber = Self.sequenceNumber(moved.sequence)
            if moved.messageGroupID == nil { moved.messageGroupID = "default" }
        }
        destination.insert(moved, now: now)
        return [.moveMessage(MessageMove(from: (source.id, message.sequence), to: moved, deduplicationID: nil, sequenceNumber: sequenceNumber))]
    }

    /// The opaque handle of a task: what CancelMessageMoveTask takes.
    public static func taskHandle(_ task: MoveTaskRecord) -> String {
        let text = #"{"taskId":"\#(task.taskID)","sourceArn":"\#(task.sourceArn)"}"#
        return Data(text.utf8).base64EncodedString()
    }

    static func decodeTaskHandle(_ handle: String) -> (taskID: String, sourceArn: String)? {
        guard let data = Data(base64Encoded: handle), let text = String(data: data, encoding: .utf8), let fields = jsonObject(text),
            let taskID = fields["taskId"]?.stringValue, let sourceArn = fields["sourceArn"]?.stringValue
        else { return nil }
        return (taskID, sourceArn)
    }
}
