import SQSEngine

// ReceiveMessage.

struct ReceiveMessageRequest: Decodable {
    var queueUrl: String?
    var attributeNames: [String]?
    var messageSystemAttributeNames: [String]?
    var messageAttributeNames: [String]?
    var maxNumberOfMessages: Int?
    var visibilityTimeout: Int?
    var waitTimeSeconds: Int?
    var receiveRequestAttemptId: String?

    enum CodingKeys: String, CodingKey {
        case queueUrl = "QueueUrl", attributeNames = "AttributeNames"
        case messageSystemAttributeNames = "MessageSystemAttributeNames", messageAttributeNames = "MessageAttributeNames"
        case maxNumberOfMessages = "MaxNumberOfMessages", visibilityTimeout = "VisibilityTimeout"
        case waitTimeSeconds = "WaitTimeSeconds", receiveRequestAttemptId = "ReceiveRequestAttemptId"
    }
}

extension JSONProtocolHandler {
    func receiveMessage(_ request: ReceiveMessageRequest, _ context: RequestContext) async throws(EngineError) -> JSONWriter {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let input = ReceiveMessageInput(
            maxNumberOfMessages: request.maxNumberOfMessages ?? 1, visibilityTimeout: request.visibilityTimeout,
            waitTimeSeconds: request.waitTimeSeconds, receiveRequestAttemptID: request.receiveRequestAttemptId)
        let messages = try await engine.receiveMessage(key, input)
        let systemNames = AttributeSelection(names: request.messageSystemAttributeNames ?? request.attributeNames ?? [])
        let attributeNames = AttributeSelection(names: request.messageAttributeNames ?? [])
        var writer = JSONWriter(capacity: 512 * max(1, messages.count))
        writer.object { o in
            o.member("Messages", array: messages) { w, message in
                let attributes = attributeNames.filter(message.record.attributes)
                w.object { m in
                    m.member("Attributes", systemNames.filter(message.systemAttributes))
                    m.member("Body", message.record.body)
                    m.member("MD5OfBody", message.record.md5OfBody)
                    m.member("MD5OfMessageAttributes", MessageDigest.md5Hex(of: attributes))
                    m.member("MessageAttributes", attributes: attributes)
                    m.member("MessageId", message.record.messageID)
                    m.member("ReceiptHandle", message.receiptHandle)
                }
            }
        }
        return writer
    }
}

/// Which attributes a receive asked for: `All`, `.*`, exact names and `prefix.*` patterns.
struct AttributeSelection {
    private var all = false
    private var exact: Set<String> = []
    private var prefixes: [String] = []

    init(names: [String]) {
        for name in names {
            if name == "All" || name == ".*" {
                all = true
            } else if name.hasSuffix(".*") {
                prefixes.append(String(name.dropLast(1)))
            } else {
                exact.insert(name)
            }
        }
    }

    var isEmpty: Bool { !all && exact.isEmpty && prefixes.isEmpty }

    func includes(_ name: String) -> Bool {
        all || exact.contains(name) || prefixes.contains { name.hasPrefix($0) }
    }

    func filter<Value>(_ values: [String: Value]) -> [String: Value] {
        if all { return values }
        if isEmpty { return [:] }
        return values.filter { includes($0.key) }
    }
}
