import SQSEngine

/// What Publish (or one PublishBatch entry) asks for.
public struct PublishInput: Sendable {
    public var topicArn: String?
    public var targetArn: String?
    public var phoneNumber: String?
    public var message: String?
    public var subject: String?
    public var messageStructure: String?
    public var attributes: [String: MessageAttributeValue]
    public var messageGroupID: String?
    public var deduplicationID: String?

    public init(
        topicArn: String? = nil, targetArn: String? = nil, phoneNumber: String? = nil, message: String?, subject: String? = nil,
        messageStructure: String? = nil, attributes: [String: MessageAttributeValue] = [:], messageGroupID: String? = nil,
        deduplicationID: String? = nil
    ) {
        self.topicArn = topicArn
        self.targetArn = targetArn
        self.phoneNumber = phoneNumber
        self.message = message
        self.subject = subject
        self.messageStructure = messageStructure
        self.attributes = attributes
        self.messageGroupID = messageGroupID
        self.deduplicationID = deduplicationID
    }
}

/// What Publish answers.
public struct PublishResult: Sendable, Equatable {
    public var messageID: String
    public var sequenceNumber: String?
}

/// One PublishBatch entry's outcome.
public struct PublishBatchOutcome: Sendable {
    public var id: String
    public var result: Result<PublishResult, SNSError>
}
