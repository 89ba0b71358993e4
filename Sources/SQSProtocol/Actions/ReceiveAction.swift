import SQSEngine

// ReceiveMessage.

struct ReceiveMessageRequest: Decodable, Sendable, Equatable {
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

extension SQSDispatcher {
    func receiveMessage(_ request: ReceiveMessageRequest, _ context: RequestContext) async throws(EngineError) -> SQSResponse {
        let key = try context.queueKey(fromURL: required(request.queueUrl, "QueueUrl"))
        let input = ReceiveMessageInput(
            maxNumberOfMessages: request.maxNumberOfMessages ?? 1, visibilityTimeout: request.visibilityTimeout,
            waitTimeSeconds: request.waitTimeSeconds, receiveRequestAttemptID: request.receiveRequestAttemptId)
        let messages = try await engine.receiveMessage(key, input)
        // `MessageSystemAttributeNames` (2024) and the deprecated `AttributeNames` both select system attributes.
        let systemNames = AttributeSelection(names: (request.messageSystemAttributeNames ?? []) + (request.attributeNames ?? []))
        let attributeNames = AttributeSelection(names: request.messageAttributeNames ?? [])
        return .messages(
            messages.map { message in
                let attributes = attributeNames.filter(message.record.attributes)
                return OutgoingMessage(
                    messageID: message.record.messageID, receiptHandle: message.receiptHandle, md5OfBody: message.record.md5OfBody,
                    body: message.record.body, attributes: systemNames.filter(message.systemAttributes),
                    md5OfMessageAttributes: MessageDigest.md5Hex(of: attributes), messageAttributes: attributes)
            })
    }
}

/// Which attributes a receive asked for: `All`, `.*` or `*` (every one), exact names and `prefix.*` patterns.
struct AttributeSelection {
    private var all = false
    private var exact: Set<String> = []
    private var prefixes: [String] = []

    init(names: [String]) {
        for name in names {
            if name == "All" || name == ".*" || name == "*" {
                all = true
            } else if name.hasSuffix(".*") {
                // As on AWS, ".*" is the wildcard: "Hel.*" selects names that start with "Hel".
                prefixes.append(String(name.dropLast(2)))
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
