import SQSEngine
import SQSProtocol
import Testing

@Suite("JSON protocol golden bodies")
struct JSONGoldenTests {
    @Test func createQueueReturnsTheURLOnTheCallersHost() async throws {
        let fixture = try await ProtocolFixture()
        let body = await fixture.ok("CreateQueue", #"{"QueueName":"ChatAPP","Attributes":{"VisibilityTimeout":"40"},"tags":{"team":"chat"}}"#)
        #expect(body == #"{"QueueUrl":"http://localhost:9324/000000000000/ChatAPP"}"#)
        let attributes = await fixture.ok(
            "GetQueueAttributes", #"{"QueueUrl":"http://elsewhere:1/000000000000/ChatAPP","AttributeNames":["VisibilityTimeout","QueueArn"]}"#)
        #expect(attributes == #"{"Attributes":{"QueueArn":"arn:aws:sqs:us-east-1:000000000000:ChatAPP","VisibilityTimeout":"40"}}"#)
        #expect(await fixture.ok("ListQueueTags", #"{"QueueUrl":"ChatAPP"}"#) == #"{"Tags":{"team":"chat"}}"#)
    }

    @Test func emptyOutputsAreEmptyObjects() async throws {
        let fixture = try await ProtocolFixture()
        #expect(await fixture.ok("ListQueues", "{}") == "{}")
        #expect(await fixture.ok("ListQueues", "") == "{}")
        _ = await fixture.ok("CreateQueue", #"{"QueueName":"q"}"#)
        #expect(await fixture.ok("ReceiveMessage", #"{"QueueUrl":"http://localhost:9324/000000000000/q"}"#) == "{}")
        #expect(await fixture.ok("ListQueueTags", #"{"QueueUrl":"http://localhost:9324/000000000000/q"}"#) == "{}")
        #expect(await fixture.ok("PurgeQueue", #"{"QueueUrl":"http://localhost:9324/000000000000/q"}"#) == "{}")
    }

    @Test func queueDoesNotExistWireForm() async throws {
        let fixture = try await ProtocolFixture()
        let result = await fixture.call("GetQueueUrl", #"{"QueueName":"missing"}"#)
        #expect(result.status == 400)
        #expect(result.body == #"{"__type":"com.amazonaws.sqs#QueueDoesNotExist","message":"The specified queue does not exist."}"#)
        #expect(result.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender")
    }

    @Test func missingParameterAndPurgeInProgress() async throws {
        let fixture = try await ProtocolFixture()
        let missing = await fixture.call("CreateQueue", "{}")
        #expect(missing.status == 400)
        #expect(missing.body == #"{"__type":"com.amazonaws.sqs#MissingRequiredParameterException","message":"The request must contain the parameter QueueName."}"#)
        #expect(missing.headers["x-amzn-query-error"] == "MissingParameter;Sender")
        _ = await fixture.ok("CreateQueue", #"{"QueueName":"q"}"#)
        _ = await fixture.ok("PurgeQueue", #"{"QueueUrl":"q"}"#)
        let again = await fixture.call("PurgeQueue", #"{"QueueUrl":"q"}"#)
        #expect(again.status == 403)
        #expect(again.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.PurgeQueueInProgress;Sender")
    }

    @Test(arguments: [
        (nil, "{}"), ("AmazonSQS.Nope", "{}"), ("AmazonSNS.ListTopics", "{}"),
    ] as [(String?, String)])
    func unknownTargetsAreUnknownOperations(target: String?, body: String) async throws {
        let fixture = try await ProtocolFixture()
        let result = await fixture.call(target ?? "Nope.", body)
        #expect(result.status == 400)
        #expect(result.body.hasPrefix(#"{"__type":"com.amazon.coral.service#UnknownOperationException","message":"#))
    }

    @Test(arguments: [
        ("ListQueues", "{not json"), ("ListQueues", #"["a"]"#), ("GetQueueUrl", #"{"QueueName":123}"#),
        ("ListQueues", #"{"MaxResults":"five"}"#), ("CreateQueue", #"{"QueueName":"x","Attributes":"VisibilityTimeout=3"}"#),
        ("SendMessageBatch", #"{"QueueUrl":"q","Entries":{"Id":"a"}}"#), ("SendMessage", #"{"QueueUrl":"q","MessageBody":"x","MessageAttributes":{"a":{"DataType":"Binary","BinaryValue":"!!"}}}"#),
    ])
    func malformedBodiesAreSerializationExceptions(action: String, body: String) async throws {
        let fixture = try await ProtocolFixture()
        let result = await fixture.call(action, body)
        #expect(result.status == 400)
        #expect(result.body.hasPrefix(#"{"__type":"com.amazon.coral.service#SerializationException","message":"#), "\(result.body)")
    }

    @Test func sendAndReceiveWithAttributesAndDigests() async throws {
        let fixture = try await ProtocolFixture()
        _ = await fixture.ok("CreateQueue", #"{"QueueName":"q"}"#)
        let sent = await fixture.ok("SendMessage", #"""
            {"QueueUrl":"q","MessageBody":"test","MessageAttributes":{"attribName1":{"DataType":"String","StringValue":"attribValue 1"},"bin":{"DataType":"Binary","BinaryValue":"SGVsbG8="}}}
            """#)
        #expect(sent.hasPrefix(#"{"MD5OfMessageBody":"098f6bcd4621d373cade4e832627b4f6","MD5OfMessageAttributes":""#))
        #expect(sent.contains(#""MessageId":""#))
        let received = await fixture.ok("ReceiveMessage", #"""
            {"QueueUrl":"q","MessageAttributeNames":["attribName1","binary.*"],"MessageSystemAttributeNames":["ApproximateReceiveCount","SenderId"]}
            """#)
        #expect(received.hasPrefix(#"{"Messages":[{"Attributes":{"ApproximateReceiveCount":"1","SenderId":"AKIDEXAMPLE"},"Body":"test","MD5OfBody":"098f6bcd4621d373cade4e832627b4f6","MD5OfMessageAttributes":"19e27d4e946b072f3f58da80d94fd778","MessageAttributes":{"attribName1":{"DataType":"String","StringValue":"attribValue 1"}},"MessageId":"#), "\(received)")
    }

    @Test func binaryAttributesComeBackAsBase64() async throws {
        let fixture = try await ProtocolFixture()
        _ = await fixture.ok("CreateQueue", #"{"QueueName":"q"}"#)
        _ = await fixture.ok("SendMessage", #"{"QueueUrl":"q","MessageBody":"b","MessageAttributes":{"bin":{"DataType":"Binary","BinaryValue":"SGVsbG8="}}}"#)
        let received = await fixture.ok("ReceiveMessage", #"{"QueueUrl":"q","MessageAttributeNames":["All"]}"#)
        #expect(received.contains(#""MessageAttributes":{"bin":{"BinaryValue":"SGVsbG8=","DataType":"Binary"}}"#) || received.contains(#""MessageAttributes":{"bin":{"DataType":"Binary","BinaryValue":"SGVsbG8="}}"#), "\(received)")
    }

    @Test func batchFailuresUseTheQueryCodeAndSenderFault() async throws {
        let fixture = try await ProtocolFixture()
        _ = await fixture.ok("CreateQueue", #"{"QueueName":"q"}"#)
        let body = await fixture.ok("DeleteMessageBatch", #"{"QueueUrl":"q","Entries":[{"Id":"a","ReceiptHandle":"garbage"}]}"#)
        #expect(body == #"{"Failed":[{"Code":"ReceiptHandleIsInvalid","Id":"a","Message":"The input receipt handle \"garbage\" is not a valid receipt handle.","SenderFault":true}]}"#)
        let sent = await fixture.ok("SendMessageBatch", #"{"QueueUrl":"q","Entries":[{"Id":"ok","MessageBody":"x"}]}"#)
        #expect(sent.hasPrefix(#"{"Successful":[{"Id":"ok","MD5OfMessageBody":"9dd4e461268c8034f5c8564e155c67a6","MessageId":"#))
        #expect(!sent.contains("Failed"))
    }

    @Test func requestLevelBatchErrors() async throws {
        let fixture = try await ProtocolFixture()
        _ = await fixture.ok("CreateQueue", #"{"QueueName":"q"}"#)
        let empty = await fixture.call("DeleteMessageBatch", #"{"QueueUrl":"q","Entries":[]}"#)
        #expect(empty.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.EmptyBatchRequest;Sender")
        let repeated = await fixture.call("SendMessageBatch", #"{"QueueUrl":"q","Entries":[{"Id":"a","MessageBody":"x"},{"Id":"a","MessageBody":"y"}]}"#)
        #expect(repeated.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.BatchEntryIdsNotDistinct;Sender")
    }
}
