import NIOHTTP1
import SQSEngine
import SQSLambda
import Synchronization
import Testing

/// A web page on another site must not be able to use the SQS or Lambda API through the user's
/// browser (a `text/plain` POST needs no CORS preflight). SDKs and the CLI send no `Origin`.
@Suite("Cross-site requests")
struct CrossSiteRequestTests {
    static let browserHeaders: [[(String, String)]] = [
        [("Origin", "https://evil.example")], [("Origin", "null")], [("Origin", "http://localhost:9325")],
        [("Sec-Fetch-Site", "cross-site")], [("Sec-Fetch-Site", "same-site")],
        [("Origin", "http://localhost:9324"), ("Sec-Fetch-Site", "cross-site")],
    ]

    @Test func lambdaRoutesRefuseCrossSiteBrowserRequests() async throws {
        let harness = try await HostileClientHarness()
        let calls = Mutex(0)
        harness.functions.register(InProcessFunction(name: "worker") { _, _ in calls.withLock { $0 += 1 }; return Array("{}".utf8) })
        _ = try await harness.engine.createQueue(QueueKey(account: "000000000000", region: "us-east-1", name: "orders"), attributes: [:], tags: [:])
        let mapping = #"{"EventSourceArn":"arn:aws:sqs:us-east-1:000000000000:orders","FunctionName":"worker"}"#
        for headers in Self.browserHeaders {
            let plain = headers + [("Content-Type", "text/plain")]
            for (method, path, body) in [
                (HTTPMethodName.post, "/2015-03-31/functions/worker/invocations", #"{"evil":true}"#),
                (.event, "/2015-03-31/functions/worker/invocations", "{}"),
                (.post, "/2015-03-31/event-source-mappings", mapping),
                (.get, "/2015-03-31/functions", ""),
            ] {
                let extra = method == .event ? [("X-Amz-Invocation-Type", "Event")] : []
                let response = await harness.send(method.http, path, headers: plain + extra, body: Array(body.utf8))
                #expect(response.status == 403, "\(headers) \(path): \(response.status) \(response.body)")
                #expect(HostileClientHarness.lambdaError(response) == "AccessDeniedException")
                #expect(response.body.contains(#""Type":"User""#))
            }
        }
        #expect(calls.withLock { $0 } == 0)
        #expect(await harness.mappings.list().isEmpty)

        // The SDK (no Origin) and the server's own pages (same origin) still work.
        let sdk = await harness.send(.POST, "/2015-03-31/functions/worker/invocations", body: Array("{}".utf8))
        #expect(sdk.status == 200)
        let sameOrigin = await harness.send(
            .POST, "/2015-03-31/functions/worker/invocations", headers: [("Origin", "http://localhost:9324"), ("Sec-Fetch-Site", "same-origin")],
            body: Array("{}".utf8))
        #expect(sameOrigin.status == 200)
        #expect(calls.withLock { $0 } == 2)
    }

    @Test func sqsRefusesCrossSiteBrowserRequests() async throws {
        let harness = try await HostileClientHarness()
        #expect(await harness.sqs("CreateQueue", #"{"QueueName":"orders"}"#).status == 200)
        for headers in Self.browserHeaders {
            let response = await harness.sqs("SendMessage", #"{"QueueUrl":"orders","MessageBody":"from a web page"}"#, headers: headers)
            #expect(response.status == 403, "\(headers): \(response.body)")
            #expect(response.body.contains(#""__type":"com.amazon.coral.service#AccessDeniedException""#))
            #expect(response.headers.first(name: "x-amzn-query-error") == "AccessDenied;Sender")
        }
        let attributes = await harness.sqs("GetQueueAttributes", #"{"QueueUrl":"orders","AttributeNames":["ApproximateNumberOfMessages"]}"#)
        #expect(attributes.body.contains(#""ApproximateNumberOfMessages":"0""#))
        let sdk = await harness.sqs("SendMessage", #"{"QueueUrl":"orders","MessageBody":"from the SDK"}"#, headers: [("Sec-Fetch-Site", "none")])
        #expect(sdk.status == 200)
    }

    @Test func theRuleItself() {
        #expect(CrossSiteRequest.refusal(HTTPHeaders([("Host", "localhost:9324")])) == nil)
        #expect(CrossSiteRequest.refusal(HTTPHeaders([("Host", "LOCALHOST:9324"), ("Origin", "http://localhost:9324")])) == nil)
        #expect(CrossSiteRequest.refusal(HTTPHeaders([("Host", "localhost:9324"), ("Origin", "http://localhost:9324/x")])) != nil)
        #expect(CrossSiteRequest.refusal(HTTPHeaders([("Origin", "http://localhost:9324")])) != nil)
        #expect(CrossSiteRequest.refusal(HTTPHeaders([("Host", "localhost:9324"), ("Sec-Fetch-Site", "same-origin")])) == nil)
    }
}

/// The methods the tests above use, with Invoke's `Event` type as its own case.
enum HTTPMethodName {
    case post, get, event

    var http: HTTPMethod {
        switch self {
        case .post, .event: .POST
        case .get: .GET
        }
    }
}
