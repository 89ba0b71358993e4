import FoundationEssentials
import SQSEngine

/// Reads a Query-protocol request's flattened parameters into the action's shared request shape
/// (``SQSRequest``), with the parameter names of AWS's Query API model.
enum QueryRequestDecoder {
    static func decode(_ action: SQSAction, _ p: QueryParameters) throws(EngineError) -> SQSRequest {
        switch action {
        case .addPermission:
            return .addPermission(
                AddPermissionRequest(queueUrl: p["QueueUrl"], label: p["Label"], awsAccountIds: p.list("AWSAccountId"), actions: p.list("ActionName")))
        case .cancelMessageMoveTask:
            return .cancelMessageMoveTask(CancelMessageMoveTaskRequest(taskHandle: p["TaskHandle"]))
        case .changeMessageVisibility:
            return .changeMessageVisibility(try receiptHandleEntry(p))
        case .changeMessageVisibilityBatch:
            return .changeMessageVisibilityBatch(try receiptHandleBatch(p, "ChangeMessageVisibilityBatchRequestEntry"))
        case .createQueue:
            return .createQueue(CreateQueueRequest(queueName: p["QueueName"], attributes: p.map("Attribute"), tags: tags(p)))
        case .deleteMessage:
            return .deleteMessage(try receiptHandleEntry(p))
        case .deleteMessageBatch:
            return .deleteMessageBatch(try receiptHandleBatch(p, "DeleteMessageBatchRequestEntry"))
        case .deleteQueue:
            return .deleteQueue(QueueURLRequest(queueUrl: p["QueueUrl"]))
        case .getQueueAttributes:
            return .getQueueAttributes(GetQueueAttributesRequest(queueUrl: p["QueueUrl"], attributeNames: p.list("AttributeName")))
        case .getQueueUrl:
            return .getQueueUrl(GetQueueUrlRequest(queueName: p["QueueName"], queueOwnerAWSAccountId: p["QueueOwnerAWSAccountId"]))
        case .listDeadLetterSourceQueues:
            return .listDeadLetterSourceQueues(
                ListDeadLetterSourceQueuesRequest(queueUrl: p["QueueUrl"], nextToken: p["NextToken"], maxResults: try p.integer("MaxResults")))
        case .listMessageMoveTasks:
            return .listMessageMoveTasks(ListMessageMoveTasksRequest(sourceArn: p["SourceArn"], maxResults: try p.integer("MaxResults")))
        case .listQueueTags:
            return .listQueueTags(QueueURLRequest(queueUrl: p["QueueUrl"]))
        case .listQueues:
            return .listQueues(
                ListQueuesRequest(queueNamePrefix: p["QueueNamePrefix"], nextToken: p["NextToken"], maxResults: try p.integer("MaxResults")))
        case .purgeQueue:
            return .purgeQueue(QueueURLRequest(queueUrl: p["QueueUrl"]))
        case .receiveMessage:
            return .receiveMessage(
                ReceiveMessageRequest(
                    queueUrl: p["QueueUrl"], attributeNames: p.list("AttributeName"),
                    messageSystemAttributeNames: p.list("MessageSystemAttributeName"), messageAttributeNames: p.list("MessageAttributeName"),
                    maxNumberOfMessages: try p.integer("MaxNumberOfMessages"), visibilityTimeout: try p.integer("VisibilityTimeout"),
                    waitTimeSeconds: try p.integer("WaitTimeSeconds"), receiveRequestAttemptId: p["ReceiveRequestAttemptId"]))
        case .removePermission:
            return .removePermission(RemovePermissionRequest(queueUrl: p["QueueUrl"], label: p["Label"]))
        case .sendMessage:
            return .sendMessage(SendMessageRequest(queueUrl: p["QueueUrl"], entry: try sendMessageEntry(p)))
        case .sendMessageBatch:
            var entries: [SendMessageEntry] = []
            for entry in p.structures("SendMessageBatchRequestEntry") ?? [] {
                entries.append(try sendMessageEntry(entry))
            }
            return .sendMessageBatch(SendMessageBatchRequest(queueUrl: p["QueueUrl"], entries: entries))
        case .setQueueAttributes:
            return .setQueueAttributes(SetQueueAttributesRequest(queueUrl: p["QueueUrl"], attributes: p.map("Attribute")))
        case .startMessageMoveTask:
            return .startMessageMoveTask(
                StartMessageMoveTaskRequest(
                    sourceArn: p["SourceArn"], destinationArn: p["DestinationArn"],
                    maxNumberOfMessagesPerSecond: try p.integer("MaxNumberOfMessagesPerSecond")))
        case .tagQueue:
            return .tagQueue(TagQueueRequest(queueUrl: p["QueueUrl"], tags: tags(p)))
        case .untagQueue:
            return .untagQueue(UntagQueueRequest(queueUrl: p["QueueUrl"], tagKeys: p.list("TagKey")))
        }
    }

    /// `Tag.N.Key/Value` as the API model names it; LocalStack's model (and some tools) say `Tags.N.*`.
    private static func tags(_ p: QueryParameters) -> [String: String]? {
        let tag = p.map("Tag", key: "Key", value: "Value")
        let tags = p.map("Tags", key: "Key", value: "Value")
        guard let tag else { return tags }
        return tag.merging(tags ?? [:]) { first, _ in first }
    }

    private static func receiptHandleEntry(_ p: QueryParameters) throws(EngineError) -> ReceiptHandleEntry {
        ReceiptHandleEntry(
            id: p["Id"], queueUrl: p["QueueUrl"], receiptHandle: p["ReceiptHandle"], visibilityTimeout: try p.integer("VisibilityTimeout"))
    }

    private static func receiptHandleBatch(_ p: QueryParameters, _ prefix: String) throws(EngineError) -> ReceiptHandleBatchRequest {
        var entries: [ReceiptHandleEntry] = []
        for entry in p.structures(prefix) ?? [] {
            entries.append(try receiptHandleEntry(entry))
        }
        return ReceiptHandleBatchRequest(queueUrl: p["QueueUrl"], entries: entries)
    }

    private static func sendMessageEntry(_ p: QueryParameters) throws(EngineError) -> SendMessageEntry {
        SendMessageEntry(
            id: p["Id"], messageBody: p["MessageBody"], delaySeconds: try p.integer("DelaySeconds"),
            messageAttributes: try messageAttributes(p, "MessageAttribute"),
            messageSystemAttributes: try messageAttributes(p, "MessageSystemAttribute"),
            messageDeduplicationId: p["MessageDeduplicationId"], messageGroupId: p["MessageGroupId"])
    }

    /// `prefix.N.Name` with `prefix.N.Value.DataType|StringValue|BinaryValue` (base64).
    private static func messageAttributes(_ p: QueryParameters, _ prefix: String) throws(EngineError) -> [String: WireMessageAttribute]? {
        guard let entries = p.structures(prefix) else { return nil }
        var result: [String: WireMessageAttribute] = [:]
        for entry in entries {
            guard let name = entry["Name"] else { continue }
            var binary: Data?
            if let base64 = entry["Value.BinaryValue"] {
                guard let decoded = Data(base64Encoded: base64) else {
                    throw EngineError.invalidParameter("\(prefix).Value.BinaryValue", value: base64, reason: "Not valid base64")
                }
                binary = decoded
            }
            result[name] = WireMessageAttribute(
                dataType: entry["Value.DataType"], stringValue: entry["Value.StringValue"], binaryValue: binary,
                stringListValues: entry.list("Value.StringListValue"), binaryListValues: nil)
        }
        return result
    }
}
