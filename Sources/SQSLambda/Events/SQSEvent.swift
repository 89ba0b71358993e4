/// The event Lambda's SQS trigger sends: `{"Records":[…]}`.
public struct SQSEvent: Codable, Sendable, Equatable {
    /// The messages of the batch.
    public var records: [SQSEventRecord]

    /// Creates an event.
    public init(records: [SQSEventRecord]) {
        self.records = records
    }

    enum CodingKeys: String, CodingKey {
        case records = "Records"
    }
}

/// One message in an ``SQSEvent``, with every field AWS sends.
public struct SQSEventRecord: Codable, Sendable, Equatable {
    /// A message attribute in Lambda's lower-camel form.
    public struct MessageAttribute: Codable, Sendable, Equatable {
        public var stringValue: String?
        /// Base64.
        public var binaryValue: String?
        public var stringListValues: [String]
        public var binaryListValues: [String]
        public var dataType: String

        /// Creates an attribute.
        public init(stringValue: String?, binaryValue: String?, dataType: String) {
            self.stringValue = stringValue
            self.binaryValue = binaryValue
            self.stringListValues = []
            self.binaryListValues = []
            self.dataType = dataType
        }
    }

    public var messageId: String
    public var receiptHandle: String
    public var body: String
    /// System attributes; timestamps are epoch-millisecond strings.
    public var attributes: [String: String]
    public var messageAttributes: [String: MessageAttribute]
    public var md5OfBody: String
    public var md5OfMessageAttributes: String?
    public var eventSource: String
    public var eventSourceARN: String
    public var awsRegion: String

    /// Creates a record.
    public init(
        messageId: String, receiptHandle: String, body: String, attributes: [String: String],
        messageAttributes: [String: MessageAttribute], md5OfBody: String, md5OfMessageAttributes: String?,
        eventSourceARN: String, awsRegion: String
    ) {
        self.messageId = messageId
        self.receiptHandle = receiptHandle
        self.body = body
        self.attributes = attributes
        self.messageAttributes = messageAttributes
        self.md5OfBody = md5OfBody
        self.md5OfMessageAttributes = md5OfMessageAttributes
        self.eventSource = "aws:sqs"
        self.eventSourceARN = eventSourceARN
        self.awsRegion = awsRegion
    }
}

/// A function's partial-batch answer: `{"batchItemFailures":[{"itemIdentifier":"<messageId>"}]}`.
public struct SQSBatchResponse: Codable, Sendable, Equatable {
    /// One failed message.
    public struct BatchItemFailure: Codable, Sendable, Equatable {
        public var itemIdentifier: String

        /// Creates a failure for a message id.
        public init(itemIdentifier: String) {
            self.itemIdentifier = itemIdentifier
        }
    }

    public var batchItemFailures: [BatchItemFailure]

    /// Creates a response.
    public init(batchItemFailures: [BatchItemFailure]) {
        self.batchItemFailures = batchItemFailures
    }
}
