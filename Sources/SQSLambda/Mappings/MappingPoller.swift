import FoundationEssentials
import Logging
import SQSEngine

/// One poller of an event-source mapping: gathers a batch, invokes the function, settles the batch.
///
/// - With a batching window of 0, a batch is whatever one long-polling receive returns (up to
///   `min(batchSize, 10)` messages), so a sent message reaches the function at once.
/// - With a window, the poller keeps receiving until `batchSize` messages or the window's end
///   (counted from the first message), within Lambda's 6 MB payload limit; messages past the limit
///   are made visible again at once.
/// - Success deletes the batch; with `ReportBatchItemFailures` only the messages not listed in
///   `batchItemFailures` are deleted, and an invalid response fails the whole batch. A function
///   error or timeout deletes nothing: the messages come back after their visibility timeout, their
///   receive count grows, and the queue's RedrivePolicy moves them to the DLQ.
/// - On FIFO queues a failed message keeps every later message of its group in the batch too.
/// - With `FilterCriteria`, messages that match no filter are deleted without invoking (see
///   ``SQSRecordFilter``); a batch with nothing left is not sent.
/// - The function's reserved concurrency caps every mapping: a batch the function has no room for
///   goes back to the queue at once, and the poller waits for room before it polls again (the
///   receive counts of those messages grew, as on Lambda when it is throttled).
/// - While the function does not exist (not yet registered, or deleted), the poller does not poll.
struct MappingPoller: Sendable {
    /// Lambda's invocation payload limit.
    static let maxPayloadBytes = 6 * 1024 * 1024

    let mapping: EventSourceMapping
    let filter: SQSRecordFilter
    let engine: QueueEngine
    let invoker: FunctionInvoker
    let clock: any EngineClock
    let manager: EventSourceMappingManager
    let logger: Logger
    /// With `--auth`: what the function's role may do to the queue.
    var permissionCheck: (any MappingPermissionCheck)? = nil

    /// Seconds between two checks of a role that lacks a permission (so that granting it resumes polling).
    static let permissionRetrySeconds = 2

    /// Gets the event counts when the mapping's `MetricsConfig` asks for them.
    var eventSink: MappingEventSink?

    private func count(_ event: MappingEvent, _ count: Int) {
        if count > 0 { eventSink?(mapping.uuid, mapping.functionName, event, count) }
    }

    func run() async {
        guard let key = QueueKey(arn: mapping.eventSourceArn) else { return }
        await manager.pollerStarted(mapping.uuid)
        while !Task.isCancelled {
            if await engine.isEndingLongPolls { return }
            guard invoker.functions.function(named: mapping.functionName) != nil else {
                await manager.recordResult(mapping.uuid, "PROBLEM: Function not found: \(mapping.functionName)")
                try? await clock.sleep(until: clock.now().adding(seconds: 1))
                continue
            }
            if let permissionCheck, let function = invoker.functions.function(named: mapping.functionName),
                let missing = await permissionCheck.missingPermission(function: function.configuration, queue: key)
            {
                // As on AWS, a role without the permissions gets no messages; the mapping says why.
                await manager.recordResult(mapping.uuid, "PROBLEM: \(LambdaAPIError.missingQueuePermission(missing).message)")
                try? await clock.sleep(until: clock.now().adding(seconds: Self.permissionRetrySeconds))
                continue
            }
            let batch: [ReceivedMessage]
            do {
                batch = try await gather(key)
            } catch {
                await manager.recordResult(mapping.uuid, "PROBLEM: \(error.code.rawValue): \(error.message)")
                try? await clock.sleep(until: clock.now().adding(seconds: 1))
                continue
            }
            if batch.isEmpty { continue }
            await process(batch, key: key)
        }
    }

    /// Receives one batch (possibly empty when a long poll ends without messages).
    func gather(_ key: QueueKey) async throws(EngineError) -> [ReceivedMessage] {
        let first = try await engine.receiveMessage(
            key, ReceiveMessageInput(maxNumberOfMessages: min(mapping.batchSize, 10), waitTimeSeconds: 20))
        guard !first.isEmpty, mapping.maximumBatchingWindowInSeconds > 0 else { return first }
        var batch = first
        var size = first.reduce(0) { $0 + Self.approximateSize($1) }
        let deadline = clock.now().adding(seconds: mapping.maximumBatchingWindowInSeconds)
        while batch.count < mapping.batchSize, !Task.isCancelled {
            let now = clock.now()
            guard now < deadline else { break }
            let wait = max(0, min(20, Int((deadline.milliseconds - now.milliseconds) / 1000)))
            let more = try await engine.receiveMessage(
                key, ReceiveMessageInput(maxNumberOfMessages: min(10, mapping.batchSize - batch.count), waitTimeSeconds: wait))
            if more.isEmpty && wait == 0 { break }
            for message in more {
                // A message whose visibility timeout ran out during the window comes again: keep
                // one copy, with the newest receipt handle (the older one no longer deletes it).
                if let index = batch.firstIndex(where: { $0.record.messageID == message.record.messageID }) {
                    batch[index] = message
                    continue
                }
                let messageSize = Self.approximateSize(message)
                if size + messageSize > Self.maxPayloadBytes {
                    // Over the payload limit: back to the queue at once.
                    try? await engine.changeMessageVisibility(key, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
                } else {
                    batch.append(message)
                    size += messageSize
                }
            }
            if size >= Self.maxPayloadBytes - 1024 { break }
        }
        return batch
    }

    private func process(_ received: [ReceivedMessage], key: QueueKey) async {
        guard let function = invoker.functions.function(named: mapping.functionName) else {
            await manager.recordResult(mapping.uuid, "PROBLEM: Function not found: \(mapping.functionName)")
            await release(received, key: key)
            return
        }
        count(.polled, received.count)
        var records: [SQSEventRecord] = []
        var batch: [ReceivedMessage] = []
        var filteredOut: [ReceivedMessage] = []
        for message in received {
            let record = Self.record(message, queueArn: mapping.eventSourceArn, region: key.region)
            if filter.accepts(record) {
                records.append(record)
                batch.append(message)
            } else {
                filteredOut.append(message)
            }
        }
        if !filteredOut.isEmpty {
            // As on Lambda: a message no filter matches is deleted, never sent.
            count(.filteredOut, filteredOut.count)
            await delete(filteredOut, key: key)
            if logger.logLevel <= .debug {
                for message in filteredOut {
                    logger.debug(
                        "message filtered out and deleted",
                        metadata: ["queue": "\(key)", "messageId": "\(message.record.messageID)", "mapping": "\(mapping.uuid)"])
                }
            }
        }
        if batch.isEmpty { return }
        guard let permit = invoker.concurrency.tryAcquire(mapping.functionName) else {
            // Throttled by the function's reserved concurrency: back to the queue, wait for room.
            await release(batch, key: key)
            await manager.recordResult(mapping.uuid, "PROBLEM: Function call throttled")
            await invoker.concurrency.acquire(mapping.functionName)?.release()
            return
        }
        count(.invoked, batch.count)
        let event = SQSEvent(records: records)
        let payload = (try? JSONEncoder().encode(event)).map { [UInt8]($0) } ?? []
        let reportsFailures = mapping.reportsBatchItemFailures
        var failedIDs: Set<String>?
        let (outcome, record) = await invoker.invoke(
            function, payload: payload, mappingUUID: mapping.uuid, batchSize: batch.count, messageIDs: batch.map(\.record.messageID),
            permit: permit
        ) { outcome in
            guard case .success(let response) = outcome.result, reportsFailures else { return nil }
            let failures = Self.failedItems(in: response, batch: batch)
            return failures.map { $0.isEmpty ? .success : .partialFailure } ?? .error
        }
        if logger.logLevel <= .debug {
            for message in batch {
                logger.debug(
                    "message passed to function",
                    metadata: [
                        "queue": "\(key)", "messageId": "\(message.record.messageID)", "receiveCount": "\(message.record.receiveCount)",
                        "function": "\(mapping.functionName)", "requestId": "\(record.requestID)", "outcome": "\(record.status.rawValue)",
                    ])
            }
        }
        switch outcome.result {
        case .success(let response):
            if reportsFailures {
                // nil: an invalid response fails the whole batch.
                failedIDs = Self.failedItems(in: response, batch: batch)
                if failedIDs == nil {
                    count(.failedInvoke, batch.count)
                    await manager.recordResult(mapping.uuid, "PROBLEM: Function response is not a valid partial batch response")
                    return
                }
                count(.failedInvoke, failedIDs?.count ?? 0)
            } else {
                failedIDs = []
            }
        case .functionError, .timedOut:
            count(.failedInvoke, batch.count)
            await manager.recordResult(mapping.uuid, "PROBLEM: Function call failed")
            return
        }
        let keep = Self.messagesToKeep(batch, failed: failedIDs ?? [], fifo: key.isFIFO)
        let done = batch.filter { !keep.contains($0.record.messageID) }
        count(.deleted, done.count)
        // The engine's "message deleted" lines carry the invocation's request id.
        await RequestTrace.$requestID.withValue(record.requestID) {
            await delete(done, key: key)
        }
        await manager.recordResult(mapping.uuid, "OK")
    }

    /// Makes messages visible again at once (a batch that could not be sent).
    private func release(_ messages: [ReceivedMessage], key: QueueKey) async {
        for message in messages {
            try? await engine.changeMessageVisibility(key, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
        }
    }

    private func delete(_ messages: [ReceivedMessage], key: QueueKey) async {
        var start = 0
        while start < messages.count {
            let chunk = messages[start..<min(start + 10, messages.count)]
            let entries = chunk.enumerated().map { BatchEntry(id: String($0.offset), value: $0.element.receiptHandle) }
            _ = try? await engine.deleteMessageBatch(key, entries)
            start += 10
        }
    }

    /// The ids a partial batch response reports as failed; `nil` when the response is invalid
    /// (not JSON, an item without a valid `itemIdentifier`, or an id not in the batch). An empty or
    /// `null` response, or an empty list, means the whole batch succeeded.
    static func failedItems(in response: [UInt8], batch: [ReceivedMessage]) -> Set<String>? {
        let trimmed = response.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
        if trimmed.isEmpty || Array(trimmed.prefix(4)) == Array("null".utf8) { return [] }
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(response)) else { return nil }
        guard case .object(let fields) = value else { return nil }
        guard let failures = fields["batchItemFailures"] else { return [] }
        if case .null = failures { return [] }
        guard case .array(let items) = failures else { return nil }
        let ids = Set(batch.map(\.record.messageID))
        var failed: Set<String> = []
        for item in items {
            guard case .object(let entry) = item, let id = entry["itemIdentifier"]?.stringValue, !id.isEmpty, ids.contains(id) else {
                return nil
            }
            failed.insert(id)
        }
        return failed
    }

    /// The message ids that stay in the queue: the failed ones, and on FIFO queues every later
    /// message of a failed message's group.
    static func messagesToKeep(_ batch: [ReceivedMessage], failed: Set<String>, fifo: Bool) -> Set<String> {
        guard fifo, !failed.isEmpty else { return failed }
        var keep = failed
        var blockedGroups: Set<String> = []
        for message in batch {
            let group = message.record.messageGroupID ?? ""
            if blockedGroups.contains(group) {
                keep.insert(message.record.messageID)
            } else if failed.contains(message.record.messageID) {
                blockedGroups.insert(group)
            }
        }
        return keep
    }

    /// One SQS event record, with every field Lambda sends.
    static func record(_ message: ReceivedMessage, queueArn: String, region: String) -> SQSEventRecord {
        let attributes = message.record.attributes.mapValues { value in
            SQSEventRecord.MessageAttribute(
                stringValue: value.stringValue, binaryValue: value.binaryValue.map { Data($0).base64EncodedString() },
                dataType: value.dataType)
        }
        return SQSEventRecord(
            messageId: message.record.messageID, receiptHandle: message.receiptHandle, body: message.record.body,
            attributes: message.systemAttributes, messageAttributes: attributes, md5OfBody: message.record.md5OfBody,
            md5OfMessageAttributes: message.record.md5OfAttributes, eventSourceARN: queueArn, awsRegion: region)
    }

    static func approximateSize(_ message: ReceivedMessage) -> Int {
        message.record.body.utf8.count + message.receiptHandle.utf8.count + 1024
            + message.record.attributes.reduce(0) { $0 + $1.key.utf8.count + ($1.value.stringValue?.utf8.count ?? 0) + ($1.value.binaryValue?.count ?? 0) * 4 / 3 }
    }
}
