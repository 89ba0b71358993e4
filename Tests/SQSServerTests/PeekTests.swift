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
        #expect(json.body.contains(#""Body":"visible <b>""#))
        #expect(!json.body.contains("in flight"))
        #expect(!json.body.contains("delayed"))
        #expect(json.body.contains(#""ReceiptHandle":"SQS/BACKDOOR/ACCESS""#))
        #expect(json.body.contains(#""MessageAttributes":{"k":{"DataType":"String","StringValue":"v"}}"#))

        let all = await get("/_aws/sqs/messages/us-east-1/000000000000/q?ShowInvisible=true&ShowDelayed=true", accept: "application/json")
        #expect(all.body.contains(#""IsDelayed":"false","IsVisible":"true""#))
        #expect(all.body.contains(#""Body":"in flight""#))
        #expect(all.body.contains(#""Body":"delayed""#))
        #expect(all.body.contains(#""IsDelayed":"true","IsVisible":"false""#))

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

    @Test func errorsHaveTheProtocolsShape() async {
        let missing = await get("/_aws/sqs/messages?QueueUrl=http://localhost:9324/000000000000/nope")
        #expect(missing.status == 400)
        #expect(missing.body.contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"))
        let noURL = await get("/_aws/sqs/messages", accept: "application/json")
        #expect(noURL.status == 400)
        #expect(noURL.body.contains("MissingRequiredParameterException"))
    }
}
