import SQSEngine
import SQSProtocol
import Testing

/// Golden XML bodies of every action's Query-protocol response, and the error shape.
@Suite("Query protocol golden bodies")
struct QueryGoldenTests {
    typealias F = QueryFixture
    let url = "http://localhost:9324/000000000000/q"

    @Test func queueActions() async throws {
        let fixture = try await QueryFixture()
        let created = await fixture.ok("CreateQueue", [
            "QueueName": "q", "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "40",
            "Attribute.2.Name": "DelaySeconds", "Attribute.2.Value": "1", "Tag.1.Key": "team", "Tag.1.Value": "a&b",
        ])
        #expect(created == F.document("CreateQueue", "<QueueUrl>\(url)</QueueUrl>"))
        #expect(await fixture.ok("GetQueueUrl", ["QueueName": "q"]) == F.document("GetQueueUrl", "<QueueUrl>\(url)</QueueUrl>"))
        #expect(await fixture.ok("ListQueues") == F.document("ListQueues", "<QueueUrl>\(url)</QueueUrl>"))
        #expect(await fixture.ok("ListQueues", ["QueueNamePrefix": "x"]) == F.document("ListQueues", ""))
        let attributes = await fixture.ok("GetQueueAttributes", ["QueueUrl": url, "AttributeName.1": "VisibilityTimeout", "AttributeName.2": "QueueArn"])
        #expect(attributes == F.document("GetQueueAttributes", """
            <Attribute><Name>QueueArn</Name><Value>arn:aws:sqs:us-east-1:000000000000:q</Value></Attribute>\
            <Attribute><Name>VisibilityTimeout</Name><Value>40</Value></Attribute>
            """))
        #expect(await fixture.ok("SetQueueAttributes", ["QueueUrl": url, "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "50"])
            == F.document("SetQueueAttributes", nil))
        #expect(await fixture.ok("GetQueueAttributes", ["QueueUrl": url, "AttributeName.1": "VisibilityTimeout"]).contains("<Value>50</Value>"))
        #expect(await fixture.ok("TagQueue", ["QueueUrl": url, "Tags.1.Key": "env", "Tags.1.Value": "dev", "Tag.1.Key": "x", "Tag.1.Value": "1"])
            == F.document("TagQueue", nil))
        #expect(await fixture.ok("UntagQueue", ["QueueUrl": url, "TagKey.1": "x"]) == F.document("UntagQueue", nil))
        #expect(await fixture.ok("ListQueueTags", ["QueueUrl": url]) == F.document("ListQueueTags", """
            <Tag><Key>env</Key><Value>dev</Value></Tag><Tag><Key>team</Key><Value>a&amp;b</Value></Tag>
            """))
        #expect(await fixture.ok("PurgeQueue", ["QueueUrl": url]) == F.document("PurgeQueue", nil))
        #expect(await fixture.ok("DeleteQueue", ["QueueUrl": url]) == F.document("DeleteQueue", nil))
    }

    @Test func queueURLIsImpliedByAQueuePath() async throws {
        let fixture = try await QueryFixture()
        _ = await fixture.ok("CreateQueue", ["QueueName": "q"])
        let result = await fixture.call(["Action": "ListQueueTags"], path: "/000000000000/q")
        #expect(result.status == 200)
        #expect(result.body == F.document("ListQueueTags", ""))
    }

    @Test func sendAndReceiveWithAttributesDigestsAndEscaping() async throws {
        let fixture = try await QueryFixture()
        _ = await fixture.ok("CreateQueue", ["QueueName": "q"])
        let system = try #require(MessageDigest.md5Hex(of: ["AWSTraceHeader": .string("Root=1")]))
        let sent = await fixture.ok("SendMessage", [
            "QueueUrl": url, "MessageBody": "test",
            "MessageAttribute.1.Name": "attribName1", "MessageAttribute.1.Value.DataType": "String",
            "MessageAttribute.1.Value.StringValue": "attribValue 1",
            "MessageSystemAttribute.1.Name": "AWSTraceHeader", "MessageSystemAttribute.1.Value.DataType": "String",
            "MessageSystemAttribute.1.Value.StringValue": "Root=1",
        ])
        #expect(F.masking(sent, "MessageId") == F.document("SendMessage", """
            <MD5OfMessageBody>098f6bcd4621d373cade4e832627b4f6</MD5OfMessageBody>\
            <MD5OfMessageAttributes>19e27d4e946b072f3f58da80d94fd778</MD5OfMessageAttributes>\
            <MD5OfMessageSystemAttributes>\(system)</MD5OfMessageSystemAttributes><MessageId>MessageId</MessageId>
            """))
        let received = await fixture.ok("ReceiveMessage", [
            "QueueUrl": url, "AttributeName.1": "SenderId", "MessageSystemAttributeName.1": "AWSTraceHeader",
            "MessageAttributeName.1": "All", "MaxNumberOfMessages": "10",
        ])
        #expect(F.masking(received, "MessageId", "ReceiptHandle") == F.document("ReceiveMessage", """
            <Message><MessageId>MessageId</MessageId><ReceiptHandle>ReceiptHandle</ReceiptHandle>\
            <MD5OfBody>098f6bcd4621d373cade4e832627b4f6</MD5OfBody><Body>test</Body>\
            <Attribute><Name>AWSTraceHeader</Name><Value>Root=1</Value></Attribute>\
            <Attribute><Name>SenderId</Name><Value>AKIDEXAMPLE</Value></Attribute>\
            <MD5OfMessageAttributes>19e27d4e946b072f3f58da80d94fd778</MD5OfMessageAttributes>\
            <MessageAttribute><Name>attribName1</Name><Value><StringValue>attribValue 1</StringValue><DataType>String</DataType></Value></MessageAttribute>\
            </Message>
            """))
        #expect(await fixture.ok("ReceiveMessage", ["QueueUrl": url]) == F.document("ReceiveMessage", ""))
    }

    @Test func bodiesAndBinaryAttributesSurviveTheXML() async throws {
        let fixture = try await QueryFixture()
        _ = await fixture.ok("CreateQueue", ["QueueName": "q"])
        _ = await fixture.ok("SendMessage", [
            "QueueUrl": url, "MessageBody": "a<b>&\"\r\n]]> ✓",
            "MessageAttribute.1.Name": "binaryAttribute", "MessageAttribute.1.Value.DataType": "Binary",
            "MessageAttribute.1.Value.BinaryValue": "SGVsbG8gYmluYXJ5IHdvcmxkIQ==",
        ])
        let received = await fixture.ok("ReceiveMessage", ["QueueUrl": url, "MessageAttributeName.1": "binaryAttribute"])
        #expect(F.masking(received, "MessageId", "ReceiptHandle", "MD5OfBody") == F.document("ReceiveMessage", """
            <Message><MessageId>MessageId</MessageId><ReceiptHandle>ReceiptHandle</ReceiptHandle><MD5OfBody>MD5OfBody</MD5OfBody>\
            <Body>a&lt;b&gt;&amp;&quot;&#xD;\n]]&gt; ✓</Body>\
            <MD5OfMessageAttributes>31a92b15d92f8db860eda32aceb656c3</MD5OfMessageAttributes>\
            <MessageAttribute><Name>binaryAttribute</Name><Value><BinaryValue>SGVsbG8gYmluYXJ5IHdvcmxkIQ==</BinaryValue><DataType>Binary</DataType></Value></MessageAttribute>\
            </Message>
            """))
    }

    @Test func receiptHandleActionsAndBatches() async throws {
        let fixture = try await QueryFixture()
        _ = await fixture.ok("CreateQueue", ["QueueName": "q"])
        let sent = await fixture.ok("SendMessageBatch", [
            "QueueUrl": url,
            "SendMessageBatchRequestEntry.1.Id": "a", "SendMessageBatchRequestEntry.1.MessageBody": "x",
            "SendMessageBatchRequestEntry.2.Id": "b", "SendMessageBatchRequestEntry.2.MessageBody": "x",
            "SendMessageBatchRequestEntry.2.DelaySeconds": "0",
            "SendMessageBatchRequestEntry.2.MessageAttribute.1.Name": "attribName1",
            "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.DataType": "String",
            "SendMessageBatchRequestEntry.2.MessageAttribute.1.Value.StringValue": "attribValue 1",
        ])
        #expect(F.masking(sent, "MessageId") == F.document("SendMessageBatch", """
            <SendMessageBatchResultEntry><Id>a</Id><MessageId>MessageId</MessageId>\
            <MD5OfMessageBody>9dd4e461268c8034f5c8564e155c67a6</MD5OfMessageBody></SendMessageBatchResultEntry>\
            <SendMessageBatchResultEntry><Id>b</Id><MessageId>MessageId</MessageId>\
            <MD5OfMessageBody>9dd4e461268c8034f5c8564e155c67a6</MD5OfMessageBody>\
            <MD5OfMessageAttributes>19e27d4e946b072f3f58da80d94fd778</MD5OfMessageAttributes></SendMessageBatchResultEntry>
            """))
        let messages = try await fixture.engine.receiveMessage(
            QueueKey(account: "000000000000", region: "us-east-1", name: "q"), ReceiveMessageInput(maxNumberOfMessages: 2))
        try #require(messages.count == 2)
        let (first, second) = (messages[0].receiptHandle, messages[1].receiptHandle)
        #expect(await fixture.ok("ChangeMessageVisibility", ["QueueUrl": url, "ReceiptHandle": first, "VisibilityTimeout": "60"])
            == F.document("ChangeMessageVisibility", nil))
        let changed = await fixture.ok("ChangeMessageVisibilityBatch", [
            "QueueUrl": url,
            "ChangeMessageVisibilityBatchRequestEntry.1.Id": "ok", "ChangeMessageVisibilityBatchRequestEntry.1.ReceiptHandle": second,
            "ChangeMessageVisibilityBatchRequestEntry.1.VisibilityTimeout": "60",
            "ChangeMessageVisibilityBatchRequestEntry.2.Id": "bad", "ChangeMessageVisibilityBatchRequestEntry.2.ReceiptHandle": "garbage",
            "ChangeMessageVisibilityBatchRequestEntry.2.VisibilityTimeout": "60",
        ])
        #expect(changed == F.document("ChangeMessageVisibilityBatch", """
            <ChangeMessageVisibilityBatchResultEntry><Id>ok</Id></ChangeMessageVisibilityBatchResultEntry>\
            <BatchResultErrorEntry><Id>bad</Id><SenderFault>true</SenderFault><Code>ReceiptHandleIsInvalid</Code>\
            <Message>The input receipt handle &quot;garbage&quot; is not a valid receipt handle.</Message></BatchResultErrorEntry>
            """))
        #expect(await fixture.ok("DeleteMessage", ["QueueUrl": url, "ReceiptHandle": first]) == F.document("DeleteMessage", nil))
        let deleted = await fixture.ok("DeleteMessageBatch", [
            "QueueUrl": url, "DeleteMessageBatchRequestEntry.1.Id": "m", "DeleteMessageBatchRequestEntry.1.ReceiptHandle": second,
        ])
        #expect(deleted == F.document("DeleteMessageBatch", "<DeleteMessageBatchResultEntry><Id>m</Id></DeleteMessageBatchResultEntry>"))
    }

    @Test func permissionsAndRedrive() async throws {
        let fixture = try await QueryFixture()
        _ = await fixture.ok("CreateQueue", ["QueueName": "q"])
        _ = await fixture.ok("CreateQueue", [
            "QueueName": "src", "Attribute.1.Name": "RedrivePolicy",
            "Attribute.1.Value": #"{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:q","maxReceiveCount":"2"}"#,
        ])
        #expect(await fixture.ok("AddPermission", [
            "QueueUrl": url, "Label": "p", "AWSAccountId.1": "111122223333", "AWSAccountId.2": "444455556666",
            "ActionName.1": "SendMessage", "ActionName.2": "ReceiveMessage",
        ]) == F.document("AddPermission", nil))
        let policy = try await fixture.engine.getQueueAttributes(QueueKey(account: "000000000000", region: "us-east-1", name: "q"), names: ["Policy"])
        #expect(policy["Policy"]?.contains("444455556666") == true)
        #expect(policy["Policy"]?.contains("SQS:ReceiveMessage") == true)
        #expect(await fixture.ok("RemovePermission", ["QueueUrl": url, "Label": "p"]) == F.document("RemovePermission", nil))
        #expect(await fixture.ok("ListDeadLetterSourceQueues", ["QueueUrl": url])
            == F.document("ListDeadLetterSourceQueues", "<QueueUrl>http://localhost:9324/000000000000/src</QueueUrl>"))

        _ = await fixture.ok("SendMessage", ["QueueUrl": url, "MessageBody": "dead"])
        let started = await fixture.ok("StartMessageMoveTask", [
            "SourceArn": "arn:aws:sqs:us-east-1:000000000000:q", "DestinationArn": "arn:aws:sqs:us-east-1:000000000000:src",
            "MaxNumberOfMessagesPerSecond": "1",
        ])
        #expect(F.masking(started, "TaskHandle") == F.document("StartMessageMoveTask", "<TaskHandle>TaskHandle</TaskHandle>"))
        let listed = await fixture.ok("ListMessageMoveTasks", ["SourceArn": "arn:aws:sqs:us-east-1:000000000000:q", "MaxResults": "10"])
        #expect(F.masking(listed, "TaskHandle", "StartedTimestamp", "ApproximateNumberOfMessagesMoved", "ApproximateNumberOfMessagesToMove")
            == F.document("ListMessageMoveTasks", """
                <ListMessageMoveTasksResultEntry><TaskHandle>TaskHandle</TaskHandle><Status>RUNNING</Status>\
                <SourceArn>arn:aws:sqs:us-east-1:000000000000:q</SourceArn><DestinationArn>arn:aws:sqs:us-east-1:000000000000:src</DestinationArn>\
                <MaxNumberOfMessagesPerSecond>1</MaxNumberOfMessagesPerSecond>\
                <ApproximateNumberOfMessagesMoved>ApproximateNumberOfMessagesMoved</ApproximateNumberOfMessagesMoved>\
                <ApproximateNumberOfMessagesToMove>ApproximateNumberOfMessagesToMove</ApproximateNumberOfMessagesToMove>\
                <StartedTimestamp>StartedTimestamp</StartedTimestamp></ListMessageMoveTasksResultEntry>
                """))
        let handle = try #require(started.split(separator: "<TaskHandle>").last?.split(separator: "<").first)
        let cancelled = await fixture.ok("CancelMessageMoveTask", ["TaskHandle": String(handle)])
        #expect(F.masking(cancelled, "ApproximateNumberOfMessagesMoved")
            == F.document("CancelMessageMoveTask", "<ApproximateNumberOfMessagesMoved>ApproximateNumberOfMessagesMoved</ApproximateNumberOfMessagesMoved>"))
    }

    @Test func errorShapeUsesTheQueryCodeStatusAndWording() async throws {
        let fixture = try await QueryFixture()
        let missing = await fixture.call(["Action": "GetQueueUrl", "QueueName": "nope"])
        #expect(missing.status == 400)
        #expect(missing.body == """
            \(F.prolog)<ErrorResponse \(F.xmlns)><Error><Type>Sender</Type><Code>AWS.SimpleQueueService.NonExistentQueue</Code>\
            <Message>The specified queue does not exist for this wsdl version.</Message><Detail/></Error><RequestId>req-1</RequestId></ErrorResponse>
            """)
        let parameter = await fixture.call(["Action": "CreateQueue"])
        #expect(parameter.status == 400)
        #expect(parameter.body.contains("<Code>MissingParameter</Code><Message>The request must contain the parameter QueueName.</Message>"))
        _ = await fixture.ok("CreateQueue", ["QueueName": "q"])
        _ = await fixture.ok("PurgeQueue", ["QueueUrl": url])
        let purge = await fixture.call(["Action": "PurgeQueue", "QueueUrl": url])
        #expect(purge.status == 403)
        #expect(purge.body.contains("<Type>Sender</Type><Code>AWS.SimpleQueueService.PurgeQueueInProgress</Code>"))
        let integer = await fixture.call(["Action": "ReceiveMessage", "QueueUrl": url, "MaxNumberOfMessages": "ten"])
        #expect(integer.status == 400)
        #expect(integer.body.contains("<Code>InvalidParameterValue</Code>"))
    }

    @Test func missingAndUnknownActions() async throws {
        let fixture = try await QueryFixture()
        let missing = await fixture.call(["Version": "2012-11-05"])
        #expect(missing.status == 400)
        #expect(missing.body.contains("<Type>Sender</Type><Code>MissingAction</Code>"))
        let unknown = await fixture.call(["Action": "ListTopics"])
        #expect(unknown.status == 400)
        #expect(unknown.body.contains("<Code>InvalidAction</Code><Message>The action ListTopics is not valid for this web service.</Message>"))
    }

    @Test func serverFaultsAreReceiverErrors() {
        let response = QueryProtocolHandler.error(EngineError(.internalFailure, "disk <full>"), context: F.context)
        #expect(response.status == 500)
        #expect(String(decoding: response.body, as: UTF8.self).contains("<Type>Receiver</Type><Code>InternalFailure</Code><Message>disk &lt;full&gt;</Message>"))
    }
}
