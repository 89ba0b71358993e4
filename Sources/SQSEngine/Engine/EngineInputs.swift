/// What SendMessage (or one SendMessageBatch entry) asks for.
public struct SendMessageInput: Sendable {
    /// The message body.
    public var body: String
    /// Per-message delay; `nil` uses the queue's DelaySeconds.
    public var delaySeconds: Int?
    /// User message attributes.
    public var attributes: [String: MessageAttributeValue]
    /// Message system attributes (AWSTraceHeader).
    public var systemAttributes: [String: MessageAttributeValue]
    /// MessageGroupId (FIFO; or a fair-queue tenant on a standard queue).
    public var messageGroupID: String?
    /// MessageDeduplicationId (FIFO).
    public var deduplicationID: String?

    /// Creates a send request.
    public init(
        body: String, delaySeconds: Int? = nil, attributes: [String: MessageAttributeValue] = [:],
        systemAttributes: [String: MessageAttributeValue] = [:], messageGroupID: String? = nil, deduplicationID: String? = nil
    ) {
        self.body = body
        self.delaySeconds = delaySeconds
        self.attributes = attributes
        self.systemAttributes = systemAttributes
        self.messageGroupID = messageGroupID
        self.deduplicationID = deduplicationID
    }
}

/// What SendMessage returns.
public struct SendMessageResult: Sendable, Equatable {
    public var messageID: String
    public var md5OfBody: String
    public var md5OfAttributes: String?
    public var md5OfSystemAttributes: String?
    public var sequenceNumber: String?
}

/// What ReceiveMessage asks for.
public struct ReceiveMessageInput: Sendable {
    /// 1–10.
    public var maxNumberOfMessages: Int
    /// Overrides the queue's VisibilityTimeout for the received messages.
    public var visibilityTimeout: Int?
    /// Long-poll time; `nil` uses the queue's ReceiveMessageWaitTimeSeconds.
    public var waitTimeSeconds: Int?
    /// FIFO receive retry token.
    public var receiveRequestAttemptID: String?

    /// Creates a receive request.
    public init(maxNumberOfMessages: Int = 1, visibilityTimeout: Int? = nil, waitTimeSeconds: Int? = nil, receiveRequestAttemptID: String? = nil) {
        self.maxNumberOfMessages = maxNumberOfMessages
        self.visibilityTimeout = visibilityTimeout
        self.waitTimeSeconds = waitTimeSeconds
        self.receiveRequestAttemptID = receiveRequestAttemptID
    }
}

/// A message handed out by a receive, with the handle that names this receive.
public struct ReceivedMessage: Sendable {
    /// The message as it is after this receive (receive count already incremented).
    public var record: MessageRecord
    /// The receipt handle for DeleteMessage / ChangeMessageVisibility.
    public var receiptHandle: String

    /// The message system attributes SQS can return, by name, formatted as SQS formats them.
    public var systemAttributes: [String: String] {
        var result: [String: String] = [
            "SenderId": record.senderID,
            "SentTimestamp": String(record.sentAt.milliseconds),
            "ApproximateReceiveCount": String(record.receiveCount),
        ]
        if let first = record.firstReceivedAt {
            result["ApproximateFirstReceiveTimestamp"] = String(first.milliseconds)
        }
        if let trace = record.systemAttributes["AWSTraceHeader"]?.stringValue {
            result["AWSTraceHeader"] = trace
        }
        if let group = record.messageGroupID { result["MessageGroupId"] = group }
        if let dedup = record.deduplicationID { result["MessageDeduplicationId"] = dedup }
        if let sequenceNumber = record.sequenceNumber { result["SequenceNumber"] = sequenceNumber }
        if let source = record.deadLetterSourceArn { result["DeadLetterQueueSourceArn"] = source }
        return result
    }
}

/// One entry of a batch request.
public struct BatchEntry<Value: Sendable>: Sendable {
    /// The caller's id for the entry.
    public var id: String
    /// The entry's content.
    public var value: Value

    /// Creates an entry.
    public init(id: String, value: Value) {
        self.id = id
        self.value = value
    }
}

/// The result of one batch entry.
public struct BatchOutcome<Success: Sendable>: Sendable {
    /// The entry's id.
    public var id: String
    /// What happened to it.
    public var result: Result<Success, EngineError>
}

/// A page of ListQueues.
public struct QueueListPage: Sendable {
    /// The queues, sorted by name.
    public var queues: [QueueKey]
    /// Token for the next page, when MaxResults cut the list.
    public var nextToken: String?
}
