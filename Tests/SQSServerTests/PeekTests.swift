import Logging
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSServer
import Testing

/// The LocalStack-compatible peek endpoint, through the router: lists messages and changes nothing.
@Suite("Peek API")
struct PeekTests {
    let clock = ManualClock()
    let engine: QueueEngine
    let router: ServerRouter
    let key = QueueKey(account: "000000000000", region: "us-east-1", name: "q")

    init() async throws {
        engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await engine.start()
        router = ServerRouter(engine: engine, defaults: ServerDefaults(authority: "localhost:9324"))
        _ = try await engine.createQueue(key, attributes: [:], tags: [:])
    }

    func get(_ uri: String, accept: String? = nil) async -> (status: Int, body: String, contentType: String?) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "localhost:9324")
        if let accept { headers.add(name: "Accept", value: accept) }
        let response = await router.respond(to: HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: uri, headers: headers)))
        return (Int(response.status.code), String(buffer: response.body), response.headers.first(name: "content-type"))
    }

    func post(_ uri: String, body: String, headers extra: [(String, String)] = []) async -> (status: Int, body: String) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "localhost:9324")
        for (name, value) in extra { headers.add(name: name, value: value) }
        let request = HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .POST, uri: uri, headers: headers), body: ByteBuffer(string: body))
        let response = await router.respond(to: request)
        return (Int(response.status.code), String(buffer: response.body))
    }

    @Test func peekingListsMessagesWithoutChangingThem() async throws {
        _ = try await engine.sendMessage(key, SendMessageInput(body: "visible <b>", attributes: ["k": .string("v")]), senderID: "AKID")
        _ = try await engine.sendMessage(key, SendMessageInput(body: "in flight"), senderID: "AKID")
        _ = try await engine.sendMessage(key, SendMessageInput(body: "delayed", delaySeconds: 60), senderID: "AKID")
        // Receive "visible <b>"'s neighbour: receive one, then put the first back.
        let received = try await engine.receiveMessage(key, ReceiveMessageInput(maxNumberOfMessages: 2, visibilityTimeout: 30))
        try await engine.changeMessageVisibility(key, receiptHandle: received[0].receiptHandle, visibilityTimeout: 0)
        let before = try await engine.getQueueAttributes(key, names: ["All"])

        let json = await get("/_aws/sqs/messages?QueueUrl=http%3A%2F%2Flocalhost%3A9324%2F000000000000%2Fq", accept: "application/json")
        #expect(json.status == 200)
        // LocalStack's shape for Accept: application/json: the Query protocol's tree as JSON.
        #expect(json.body.hasPrefix(#"{"ReceiveMessageResponse":{"ReceiveMessageResult":{"Message":[{"MessageId":"#))
        #expect(json.body.contains(#""Body":"visible <b>""#))
        #expect(!json.body.contains("in flight"))
        #expect(!json.body.contains("delayed"))
        #expect(json.body.contains(#""ReceiptHandle":"SQS/BACKDOOR/ACCESS""#))
        #expect(json.body.contains(#""MessageAttribute":[{"Name":"k","Value":{"StringValue":"v","DataType":"String"}}]"#))
        #expect(json.body.contains(#"{"Name":"ApproximateReceiveCount","Value":"1"}"#))
        #expect(json.body.contains(#""ResponseMetadata":{"RequestId":"#))

        let all = await get("/_aws/sqs/messages/us-east-1/000000000000/q?ShowInvisible=true&ShowDelayed=true", accept: "application/json")
        #expect(all.body.contains(#"{"Name":"IsDelayed","Value":"false"},{"Name":"IsVisible","Value":"true"}"#))
        #expect(all.body.contains(#""Body":"in flight""#))
        #expect(all.body.contains(#""Body":"delayed""#))
        #expect(all.body.contains(#"{"Name":"IsDelayed","Value":"true"},{"Name":"IsVisible","Value":"false"}"#))

        // An SDK pointed at the endpoint speaks the JSON protocol and gets ReceiveMessage's answer.
        let sdk = await post(
            "/_aws/sqs/messages", body: #"{"QueueUrl":"http://localhost:9324/000000000000/q","MaxNumberOfMessages":10}"#,
            headers: [("X-Amz-Target", "AmazonSQS.ReceiveMessage"), ("Content-Type", "application/x-amz-json-1.0")])
        #expect(sdk.status == 200)
        #expect(sdk.body.hasPrefix(#"{"Messages":[{"Attributes":{"#))
        #expect(sdk.body.contains(#""MessageAttributes":{"k":{"DataType":"String","StringValue":"v"}}"#))

        // A Query-protocol POST (form body) is answered in XML.
        let form = await post("/_aws/sqs/messages", body: "Action=ReceiveMessage&QueueUrl=http%3A%2F%2Flocalhost%3A9324%2F000000000000%2Fq")
        #expect(form.body.contains("<Body>visible &lt;b&gt;</Body>"))
        let otherAction = await post("/_aws/sqs/messages", body: "Action=SendMessage&QueueUrl=q")
        #expect(otherAction.status == 400)

        let xml = await get("/_aws/sqs/messages?QueueUrl=http://localhost:9324/000000000000/q")
        #expect(xml.contentType == "text/xml")
        #expect(xml.body.hasPrefix(#"<?xml version="1.0"?><ReceiveMessageResponse xmlns="http://queue.amazonaws.com/doc/2012-11-05/"><ReceiveMessageResult><Message>"#))
        #expect(xml.body.contains("<Body>visible &lt;b&gt;</Body>"))

        // Nothing changed: counts, receive counts and visibility are as before.
        let after = try await engine.getQueueAttributes(key, names: ["All"])
        #expect(after == before)
        let again = try await engine.receiveMessage(key, ReceiveMessageInput(maxNumberOfMessages: 10))
        #expect(again.map(\.record.body) == ["visible <b>"])
        #expect(again[0].record.receiveCount == 2)
    }

    @Test func largeAnswersAreGzippedWhenAccepted() async throws {
        for index in 0..<20 {
            _ = try await engine.sendMessage(key, SendMessageInput(body: "message number \(index) with some padding"), senderID: "AKID")
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "localhost:9324")
        headers.add(name: "Accept-Encoding", value: "gzip, deflate")
        let request = HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/_aws/sqs/messages/us-east-1/000000000000/q", headers: headers))
        let response = await router.respond(to: request)
        #expect(response.headers.first(name: "content-encoding") == "gzip")
        #expect(response.body.getBytes(at: response.body.readerIndex, length: 2) == [0x1f, 0x8b])
    }

    @Test func errorsHaveTheProtocolsShape() async {
        let missing = await get("/_aws/sqs/messages?QueueUrl=http://localhost:9324/000000000000/nope")
        #expect(missing.status == 400)
        #expect(missing.body.contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"))
        let noURL = await get("/_aws/sqs/messages", accept: "application/json")
        #expect(noURL.status == 400)
        #expect(noURL.body.contains("MissingRequiredParameterException"))
    }
}
