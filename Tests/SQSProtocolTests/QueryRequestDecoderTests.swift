import SQSEngine
import Testing

@testable import SQSProtocol

/// Each flattened parameter family of the Query API, decoded into the shared request model.
@Suite("Query request decoder")
struct QueryRequestDecoderTests {
    func decode(_ action: SQSAction, _ values: [String: String]) throws -> SQSRequest {
        try QueryRequestDecoder.decode(action, QueryParameters(values))
    }

    @Test func createQueueAttributesAndTags() throws {
        guard case .createQueue(let r) = try decode(.createQueue, [
            "QueueName": "q", "Attribute.1.Name": "DelaySeconds", "Attribute.1.Value": "5", "Tag.1.Key": "a", "Tag.1.Value": "1",
            "Tags.2.Key": "b", "Tags.2.Value": "2",
        ]) else { Issue.record("wrong case"); return }
        #expect(r.queueName == "q")
        #expect(r.attributes == ["DelaySeconds": "5"])
        #expect(r.tags == ["a": "1", "b": "2"])
    }

    @Test func tagKeysAttributeNamesAndReceiveSelections() throws {
        guard case .untagQueue(let untag) = try decode(.untagQueue, ["QueueUrl": "q", "TagKey.1": "a", "TagKey.2": "b"]) else {
            Issue.record("wrong case"); return
        }
        #expect(untag.tagKeys == ["a", "b"])
        guard case .getQueueAttributes(let get) = try decode(.getQueueAttributes, ["QueueUrl": "q", "AttributeName.1": "All"]) else {
            Issue.record("wrong case"); return
        }
        #expect(get.attributeNames == ["All"])
        guard case .receiveMessage(let receive) = try decode(.receiveMessage, [
            "QueueUrl": "q", "AttributeName.1": "SenderId", "MessageSystemAttributeName.1": "AWSTraceHeader",
            "MessageAttributeName.1": "a.*", "MaxNumberOfMessages": "10", "VisibilityTimeout": "5", "WaitTimeSeconds": "20",
            "ReceiveRequestAttemptId": "r",
        ]) else { Issue.record("wrong case"); return }
        #expect(receive.attributeNames == ["SenderId"])
        #expect(receive.messageSystemAttributeNames == ["AWSTraceHeader"])
        #expect(receive.messageAttributeNames == ["a.*"])
        #expect(receive.maxNumberOfMessages == 10 && receive.visibilityTimeout == 5 && receive.waitTimeSeconds == 20)
        #expect(receive.receiveRequestAttemptId == "r")
    }

    @Test func messageAndSystemAttributes() throws {
        guard case .sendMessage(let r) = try decode(.sendMessage, [
            "QueueUrl": "q", "MessageBody": "b", "DelaySeconds": "3", "MessageGroupId": "g", "MessageDeduplicationId": "d",
            "MessageAttribute.1.Name": "s", "MessageAttribute.1.Value.DataType": "String", "MessageAttribute.1.Value.StringValue": "v",
            "MessageAttribute.2.Name": "bin", "MessageAttribute.2.Value.DataType": "Binary", "MessageAttribute.2.Value.BinaryValue": "AAH/",
            "MessageSystemAttribute.1.Name": "AWSTraceHeader", "MessageSystemAttribute.1.Value.DataType": "String",
            "MessageSystemAttribute.1.Value.StringValue": "Root=1",
        ]) else { Issue.record("wrong case"); return }
        let input = r.entry.input(traceHeader: nil)
        #expect(input.body == "b" && input.delaySeconds == 3 && input.messageGroupID == "g" && input.deduplicationID == "d")
        #expect(input.attributes["s"] == MessageAttributeValue(dataType: "String", stringValue: "v", binaryValue: nil))
        #expect(input.attributes["bin"] == MessageAttributeValue(dataType: "Binary", stringValue: nil, binaryValue: [0, 1, 255]))
        #expect(input.systemAttributes["AWSTraceHeader"]?.stringValue == "Root=1")
        #expect(throws: EngineError.self) {
            try decode(.sendMessage, ["MessageAttribute.1.Name": "x", "MessageAttribute.1.Value.BinaryValue": "!!"])
        }
    }

    @Test func theThreeBatchEntryFamilies() throws {
        guard case .sendMessageBatch(let send) = try decode(.sendMessageBatch, [
            "QueueUrl": "q", "SendMessageBatchRequestEntry.2.Id": "b", "SendMessageBatchRequestEntry.2.MessageBody": "2",
            "SendMessageBatchRequestEntry.1.Id": "a", "SendMessageBatchRequestEntry.1.MessageBody": "1",
            "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name": "k",
            "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType": "Number",
            "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue": "7",
        ]) else { Issue.record("wrong case"); return }
        #expect(send.entries?.map(\.id) == ["a", "b"])
        #expect(send.entries?.first?.messageAttributes?["k"]?.stringValue == "7")
        guard case .deleteMessageBatch(let delete) = try decode(.deleteMessageBatch, [
            "QueueUrl": "q", "DeleteMessageBatchRequestEntry.1.Id": "a", "DeleteMessageBatchRequestEntry.1.ReceiptHandle": "h",
        ]) else { Issue.record("wrong case"); return }
        #expect(delete.entries?.map(\.receiptHandle) == ["h"])
        guard case .changeMessageVisibilityBatch(let change) = try decode(.changeMessageVisibilityBatch, [
            "QueueUrl": "q", "ChangeMessageVisibilityBatchRequestEntry.1.Id": "a",
            "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle": "h", "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout": "9",
        ]) else { Issue.record("wrong case"); return }
        #expect(change.entries?.map(\.visibilityTimeout) == [9])
        guard case .deleteMessageBatch(let empty) = try decode(.deleteMessageBatch, ["QueueUrl": "q"]) else { Issue.record("wrong case"); return }
        #expect(empty.entries?.isEmpty == true)
    }

    @Test func permissionLists() throws {
        guard case .addPermission(let r) = try decode(.addPermission, [
            "QueueUrl": "q", "Label": "l", "AWSAccountId.1": "111122223333", "AWSAccountId.2": "444455556666",
            "ActionName.1": "SendMessage", "ActionName.2": "*",
        ]) else { Issue.record("wrong case"); return }
        #expect(r.awsAccountIds == ["111122223333", "444455556666"])
        #expect(r.actions == ["SendMessage", "*"])
    }
}
