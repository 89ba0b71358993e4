import SQSEngine

// SendMessage and SendMessageBatch.

struct SendMessageRequest: Decodable {
    var queueUrl: String?
    var entry: SendMessageEntry

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
struct SendMessageEntry: Decodable {
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

struct SendMessageBatchRequest: Decodable {
    var queueUrl: String?
    var entries: [SendMessageEntry]?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", entries = "Entries"
    }
}

extension JSONProtocolHandler {
    func sendMessage(_ request: SendMessageRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let result = try await engine.sendMessage(key, request.entry.input(traceHeader: context.traceHeader), senderID: context.senderID)
        let explicitSystem = request.entry.messageSystemAttributes?.isEmpty == false
        var writer = JSONWriter()
        writer.object { o in
            o.member("MD5OfMessageBody", result.md5OfBody)
            o.member("MD5OfMessageAttributes", result.md5OfAttributes)
            o.member("MD5OfMessageSystemAttributes", explicitSystem ? result.md5OfSystemAttributes : nil)
            o.member("MessageId", result.messageID)
            o.member("SequenceNumber", result.sequenceNumber)
        }
        return writer
    }

    func sendMessageBatch(_ request: SendMessageBatchRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let requestEntries = request.entries ?? []
        let entries = requestEntries.map { BatchEntry(id: $0.id ?? "", value: $0.input(traceHeader: context.traceHeader)) }
        let outcomes = try await engine.sendMessageBatch(key, entries, senderID: context.senderID)
        let explicitSystem = Dictionary(
            requestEntries.map { ($0.id ?? "", $0.messageSystemAttributes?.isEmpty == false) }, uniquingKeysWith: { a, _ in a })
        return Self.batchOutput(outcomes) { o, result, id in
            o.member("MD5OfMessageBody", result.md5OfBody)
            o.member("MD5OfMessageAttributes", result.md5OfAttributes)
            o.member("MD5OfMessageSystemAttributes", explicitSystem[id] == true ? result.md5OfSystemAttributes : nil)
            o.member("MessageId", result.messageID)
            o.member("SequenceNumber", result.sequenceNumber)
        }
    }

    /// A batch action's output: `Successful` entries written by `success`, `Failed` entries with
    /// the Query error code and `SenderFault`; empty lists omitted.
    static func batchOutput<Success>(
        _ outcomes: [BatchOutcome<Success>], success: (inout JSONWriter.ObjectWriter, Success, String) -> Void
    ) -> JSONWriter {
        var succeeded: [(String, Success)] = []
        var failed: [(String, EngineError)] = []
        for outcome in outcomes {
            switch outcome.result {
            case .success(let value): succeeded.append((outcome.id, value))
            case .failure(let error): failed.append((outcome.id, error))
            }
        }
        var writer = JSONWriter()
        writer.object { o in
            o.member("Failed", array: failed) { w, entry in
                w.object { f in
                    f.member("Code", AWSErrorMapping.batchCode(for: entry.1.code))
                    f.member("Id", entry.0)
                    f.member("Message", entry.1.message)
                    f.member("SenderFault", AWSErrorMapping.wire(for: entry.1.code).senderFault)
                }
            }
            o.member("Successful", array: succeeded) { w, entry in
                w.object { s in
                    s.member("Id", entry.0)
                    success(&s, entry.1, entry.0)
                }
            }
        }
        return writer
    }
}
