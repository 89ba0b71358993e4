import FoundationEssentials
import Logging

extension QueueEngine {
    /// A queue's dead-letter target, resolved.
    struct DeadLetterTarget {
        var queue: QueueState
        var maxReceiveCount: Int
    }

    /// The queue's RedrivePolicy target, if it has one and the target exists.
    func deadLetterTarget(of state: QueueState) -> DeadLetterTarget? {
        guard let policy = state.redrivePolicy, let target = queues[policy.target], target.id != state.id else { return nil }
        return DeadLetterTarget(queue: target, maxReceiveCount: policy.maxReceiveCount)
    }

    /// Moves a message to the dead-letter queue: one change moves it from the source to the DLQ,
    /// visible at once, keeping its id, body, attributes, sent time and receive count, and recording
    /// the source queue's ARN.
    func moveToDeadLetterQueue(_ message: MessageMetadata, from source: QueueState, to target: QueueState, now: Timestamp) -> StoreChange {
        source.remove(sequence: message.sequence)
        var moved = message
        moved.queueID = target.id
        moved.sequence = nextSequence()
        moved.visibleAt = now
        moved.receiptToken = 0
        moved.deadLetterSourceArn = source.key.arn
        var deduplicationID: String?
        var sequenceNumber: String?
        if target.isFIFO {
            sequenceNumber = Self.sequenceNumber(moved.sequence)
            if moved.messageGroupID == nil { moved.messageGroupID = "default" }
            // "The original message's deduplication ID will be replaced with the original message's ID."
            deduplicationID = message.messageIDString
        }
        target.insert(moved, now: now)
        logger.info(
            "message moved to dead-letter queue",
            metadata: [
                "queue": "\(source.key)", "deadLetterQueue": "\(target.key)", "messageId": "\(message.messageIDString)",
                "receiveCount": "\(message.receiveCount)", "requestId": "\(RequestTrace.requestID ?? "-")",
            ])
        return .moveMessage(
            MessageMove(from: (source.id, message.sequence), to: moved, deduplicationID: deduplicationID, sequenceNumber: sequenceNumber))
    }

    /// Checks a RedrivePolicy against the queues: the target exists, has the same type, and its
    /// RedriveAllowPolicy lets this queue use it.
    func validateRedrivePolicy(_ value: String, source: QueueKey, fifo: Bool) throws(EngineError) {
        guard !value.isEmpty, let fields = Self.jsonObject(value), let arn = fields["deadLetterTargetArn"]?.stringValue,
            let targetKey = QueueKey(arn: arn)
        else { return }
        func invalid(_ reason: String) -> EngineError {
            EngineError.invalidParameter("RedrivePolicy", value: value, reason: reason)
        }
        guard let target = queues[targetKey] else {
            throw invalid("Dead letter target does not exist")
        }
        guard target.isFIFO == fifo else {
            throw invalid("Dead-letter queue must be same type of queue as the source")
        }
        guard Self.allowsSource(target, source: source) else {
            throw invalid("Dead-letter queue \(targetKey.arn) does not allow this queue to use it as a dead-letter queue (RedriveAllowPolicy)")
        }
    }

    /// Checks a RedriveAllowPolicy's `byQueue` list (at most 10 queue ARNs).
    static func validateRedriveAllowPolicy(_ value: String) throws(EngineError) {
        guard !value.isEmpty, let fields = jsonObject(value), fields["redrivePermission"]?.stringValue == "byQueue" else { return }
        guard case .array(let arns)? = fields["sourceQueueArns"], !arns.isEmpty, arns.count <= 10,
            arns.allSatisfy({ $0.stringValue.flatMap(QueueKey.init(arn:)) != nil })
        else {
            throw EngineError.invalidParameter(
                "RedriveAllowPolicy", value: value,
                reason: "Amazon SQS can't create the redrive allow policy. When you specify the byQueue permission type, you must also specify one or more sourceQueueArns values (up to 10)")
        }
    }

    /// Whether a DLQ's RedriveAllowPolicy lets `source` use it.
    static func allowsSource(_ deadLetterQueue: QueueState, source: QueueKey) -> Bool {
        guard let policy = deadLetterQueue.record.attributes["RedriveAllowPolicy"], let fields = jsonObject(policy) else { return true }
        switch fields["redrivePermission"]?.stringValue {
        case "denyAll": return false
        case "byQueue":
            guard case .array(let arns)? = fields["sourceQueueArns"] else { return false }
            return arns.contains { $0.stringValue == source.arn }
        default: return true
        }
    }

    /// ListDeadLetterSourceQueues: the queues whose RedrivePolicy names this one, by name, paged.
    public func listDeadLetterSourceQueues(_ key: QueueKey, maxResults: Int?, nextToken: String?) throws(EngineError) -> QueueListPage {
        let target = try queue(key)
        let sources = queues.values.filter { deadLetterTarget(of: $0)?.queue.id == target.id }.map(\.key)
        return try Self.page(sources, by: \.arn, maxResults: maxResults, nextToken: nextToken)
    }

    static func jsonObject(_ text: String) -> [String: JSONValue]? {
        guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(text.utf8)), case .object(let fields) = value else {
            return nil
        }
        return fields
    }

    /// A FIFO sequence number: large, increasing per queue (20 digits, as AWS's are).
    static func sequenceNumber(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return "1" + String(repeating: "0", count: max(0, 19 - digits.count)) + digits
    }
}
