import SQSEngine

// SendMessage and SendMessageBatch.

/// SendMessage: a queue and one message.
struct SendMessageRequest: Sendable, Equatable {
    var queueUrl: String?
    var entry: SendMessageEntry
}

extension SendMessageRequest: Decodable {
    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl"
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        queueUrl = try container.decodeIfPresent(String.self, forKey: .queueUrl)
        entry = try SendMessageEntry(from: decoder)
    }
}

/// The message members shared by SendMessage and SendMessageBatch entries.
struct SendMessageEntry: Decodable, Sendable, Equatable {
    var id: String?
    var messageBody: String?
    var delaySeconds: Int?
    var messageAttributes: [String: WireMessageAttribute]?
    var messageSystemAttributes: [String: WireMessageAttribute]?
    var messageDeduplicationId: String?
    var messageGroupId: String?

    enum CodingKeys: String, CodingKey {
        case id = "Id", messageBody = "MessageBody", delaySeconds = "DelaySeconds"
        case messageAttributes = "MessageAttributes", messageSystemAttributes = "MessageSystemAttributes"
        case messageDeduplicationId = "MessageDeduplicationId", messageGroupId = "MessageGroupId"
    }

    func input(traceHeader: String?) -> SendMessageInput {
        var system = WireMessageAttribute.values(messageSystemAttributes)
        if system.isEmpty, let traceHeader {
            system["AWSTraceHeader"] = .string(traceHeader)
        }
        return SendMessageInput(
            body: messageBody ?? "", delaySeconds: delaySeconds, attributes: WireMessageAttribute.values(messageAttributes),
            systemAttributes: system, messageGroupID: messageGroupId, deduplicationID: messageDeduplicationId)
    }
}

struct SendMessageBatchRequest: Decodable, Sendable, Equatable {
    var queueUrl: String?
    var entries: [SendMessageEntry]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", entries = "Entries"
    }
}

extension SQSDispatcher {
    func sendMessage(_ request: SendMessageRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let result = try await engine.sendMessage(key, request.entry.input(traceHeader: context.traceHeader), senderID: context.senderID)
        return .sent(SentMessage(result, explicitSystemAttributes: request.entry.messageSystemAttributes?.isEmpty == false))
    }

    func sendMessageBatch(_ request: SendMessageBatchRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let requestEntries = request.entries ?? []
        let entries = requestEntries.map { BatchEntry(id: $0.id ?? "", value: $0.input(traceHeader: context.traceHeader)) }
        let outcomes = try await engine.sendMessageBatch(key, entries, senderID: context.senderID)
        let explicitSystem = Dictionary(
            requestEntries.map { ($0.id ?? "", $0.messageSystemAttributes?.isEmpty == false) }, uniquingKeysWith: { a, _ in a })
        return .sentBatch(BatchResult(outcomes).map { id, result in SentMessage(result, explicitSystemAttributes: explicitSystem[id] == true) })
    }
}

extension SentMessage {
    /// The engine's result as the wire returns it: the system-attribute digest only when the request sent some.
    init(_ result: SendMessageResult, explicitSystemAttributes: Bool) {
        self.init(
            md5OfBody: result.md5OfBody, md5OfAttributes: result.md5OfAttributes,
            md5OfSystemAttributes: explicitSystemAttributes ? result.md5OfSystemAttributes : nil, messageID: result.messageID,
            sequenceNumber: result.sequenceNumber)
    }
}
