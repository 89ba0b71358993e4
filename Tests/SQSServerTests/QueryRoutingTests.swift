import Logging
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
@testable import SQSServer
import Testing

/// Protocol detection and routing: JSON and Query requests on the same port, to `/` and to queue paths.
@Suite("Query protocol routing")
struct QueryRoutingTests {
    let engine: QueueEngine
    let router: ServerRouter

    init() async throws {
        engine = QueueEngine(store: MemoryQueueStore(), clock: ManualClock(), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        try await engine.start()
        router = ServerRouter(engine: engine, defaults: ServerDefaults(authority: "localhost:9324"))
    }

    func send(_ method: HTTPMethod, _ uri: String, body: String = "", headers extra: [(String, String)] = []) async
        -> (status: Int, body: String, contentType: String?)
    {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "localhost:9324")
        for (name, value) in extra { headers.add(name: name, value: value) }
        let request = HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers), body: ByteBuffer(string: body))
        let response = await router.respond(to: request)
        return (Int(response.status.code), String(buffer: response.body), response.headers.first(name: "content-type"))
    }

    let form = [("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")]

    @Test func formPostsToTheRootSpeakQuery() async throws {
        let created = await send(.POST, "/", body: "Action=CreateQueue&Version=2012-11-05&QueueName=q&Tag.1.Key=a+b&Tag.1.Value=%26%3C", headers: form)
        #expect(created.status == 200)
        #expect(created.contentType == "text/xml")
        #expect(created.body.contains("<CreateQueueResult><QueueUrl>http://localhost:9324/000000000000/q</QueueUrl></CreateQueueResult>"))
        let tags = try await engine.listQueueTags(QueueKey(account: "000000000000", region: "us-east-1", name: "q"))
        #expect(tags == ["a b": "&<"])
    }

    @Test func formPostsToAQueuePathImplyTheQueueURL() async throws {
        _ = await send(.POST, "/", body: "Action=CreateQueue&QueueName=q", headers: form)
        let sent = await send(.POST, "/000000000000/q", body: "Action=SendMessage&MessageBody=hello%0D%0Aworld", headers: form)
        #expect(sent.status == 200, "\(sent.body)")
        let received = await send(.POST, "/000000000000/q", body: "Action=ReceiveMessage&Version=2012-11-05", headers: form)
        #expect(received.body.contains("<Body>hello&#xD;\nworld</Body>"))
    }

    @Test func getWithActionInTheQueryStringSpeaksQuery() async throws {
        _ = await send(.POST, "/", body: "Action=CreateQueue&QueueName=q", headers: form)
        let listed = await send(.GET, "/?Action=ListQueues&Version=2012-11-05")
        #expect(listed.status == 200)
        #expect(listed.body.contains("<ListQueuesResult><QueueUrl>http://localhost:9324/000000000000/q</QueueUrl></ListQueuesResult>"))
        let attributes = await send(.GET, "/000000000000/q?Action=GetQueueAttributes&AttributeName.1=VisibilityTimeout")
        #expect(attributes.body.contains("<Attribute><Name>VisibilityTimeout</Name><Value>30</Value></Attribute>"))
        let missing = await send(.GET, "/000000000000/nope?Action=GetQueueAttributes")
        #expect(missing.status == 400)
        #expect(missing.body.contains("<Code>AWS.SimpleQueueService.NonExistentQueue</Code>"))
    }

    @Test func queryErrorsForMissingAndUnknownActions() async throws {
        let missing = await send(.POST, "/", body: "Version=2012-11-05", headers: form)
        #expect(missing.status == 400)
        #expect(missing.body.contains("<Code>MissingAction</Code>"))
        let unknown = await send(.POST, "/", body: "Action=Publish", headers: form)
        #expect(unknown.status == 400)
        #expect(unknown.body.contains("<Code>InvalidAction</Code>"))
    }

    @Test func jsonRequestsStillSpeakJSON() async throws {
        let json = [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.CreateQueue")]
        let created = await send(.POST, "/", body: #"{"QueueName":"q"}"#, headers: json)
        #expect(created.status == 200)
        #expect(created.contentType == "application/x-amz-json-1.0")
        #expect(created.body == #"{"QueueUrl":"http://localhost:9324/000000000000/q"}"#)
        // A JSON content type wins over an `Action=` in the query string.
        let listed = await send(.POST, "/?Action=ListQueues", body: "{}", headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.ListQueues")])
        #expect(listed.body.hasPrefix(#"{"QueueUrls":"#))
        let neither = await send(.POST, "/", body: "{}")
        #expect(neither.status == 400)
        #expect(neither.body.contains("UnknownOperationException"))
    }

    /// The router's shortcut for SDK requests takes only POSTs to `/`: an SQS target sent to
    /// another route's path is that route's (here the peek API, which only reads).
    @Test func anSQSTargetOnAnotherRoutesPathGoesToThatRoute() async throws {
        #expect(await send(.POST, "/", body: #"{"QueueName":"q"}"#, headers: [("X-Amz-Target", "AmazonSQS.CreateQueue")]).status == 200)
        let url = "http%3A%2F%2Flocalhost%3A9324%2F000000000000%2Fq"
        let peek = await send(
            .POST, "/_aws/sqs/messages?QueueUrl=\(url)", body: #"{"QueueUrl":"q","MessageBody":"m"}"#,
            headers: [("X-Amz-Target", "AmazonSQS.SendMessage"), ("Accept", "application/json")])
        #expect(peek.status == 200)
        #expect(!peek.body.contains("MD5OfMessageBody"))
        let attributes = await send(
            .POST, "/", body: #"{"QueueUrl":"q","AttributeNames":["ApproximateNumberOfMessages"]}"#,
            headers: [("X-Amz-Target", "AmazonSQS.GetQueueAttributes")])
        #expect(attributes.body.contains(#""ApproximateNumberOfMessages":"0""#))
    }

    @Test func plainGetsWithoutAnActionAreStill404() async throws {
        let response = await send(.GET, "/000000000000/q")
        #expect(response.status == 404)
    }

    @Test func metricsLabelQueryRequestsByAction() throws {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let post = HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: headers), body: ByteBuffer(string: "QueueUrl=x&Action=SendMessage&MessageBody=b"))
        #expect(ServerRouter.action(of: post) == "SendMessage")
        let get = HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .GET, uri: "/?Action=Nope", headers: [:]), body: ByteBuffer())
        #expect(ServerRouter.action(of: get) == "Unknown")
    }

    @Test func oversizeQueryRequestsAreAnsweredInXML() {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let query = ServerRouter.oversizeResponse(limit: 10)(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: headers))
        #expect(query.status.code == 413)
        #expect(query.headers.first(name: "content-type") == "text/xml")
        #expect(String(buffer: query.body).contains("<Code>RequestEntityTooLarge</Code>"))
        let json = ServerRouter.oversizeResponse(limit: 10)(HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: [:]))
        #expect(String(buffer: json.body).contains("RequestEntityTooLargeException"))
    }

    @Test func crossSiteQueryRequestsAreRefusedInXML() async throws {
        _ = await send(.POST, "/", body: "Action=CreateQueue&QueueName=q", headers: form)
        // A page on another site could otherwise purge or delete queues with an <img> pointing at a GET.
        let get = await send(.GET, "/000000000000/q?Action=DeleteQueue", headers: [("Sec-Fetch-Site", "cross-site")])
        #expect(get.status == 403)
        #expect(get.contentType == "text/xml")
        #expect(get.body.contains("<Type>Sender</Type><Code>AccessDenied</Code>"))
        let post = await send(.POST, "/", body: "Action=DeleteQueue&QueueUrl=q", headers: form + [("Origin", "https://evil.example")])
        #expect(post.status == 403)
        #expect(post.body.contains("<Code>AccessDenied</Code>"))
        #expect(try await engine.listQueues(account: "000000000000", region: "us-east-1", prefix: nil, maxResults: nil, nextToken: nil).queues.count == 1)
    }
}
