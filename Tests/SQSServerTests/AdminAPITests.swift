import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSServer
import Testing

/// The admin JSON API (`/admin/api/…`): the documents README describes, read without side effects.
@Suite("Admin JSON API")
struct AdminAPITests {
    @Test func queuesAndOneQueue() async throws {
        let harness = try await AdminTestHarness()
        _ = try await harness.engine.sendMessage(harness.key, SendMessageInput(body: "a"), senderID: "x")
        _ = try await harness.engine.receiveMessage(harness.key, ReceiveMessageInput(maxNumberOfMessages: 1))

        let list = await harness.get("/admin/api/queues")
        #expect(list.status == 200)
        #expect(list.headers.first(name: "content-type") == "application/json")
        #expect(list.body.contains(#""id":"us-east-1/000000000000/orders""#))
        #expect(list.body.contains(#""inFlight":1"#))
        #expect(list.body.contains(#""url":"http://localhost:9324/000000000000/orders""#))

        let one = await harness.get("/admin/api/queues/us-east-1/000000000000/orders")
        #expect(one.body.contains(#""attributes":{"#))
        #expect(one.body.contains(#""VisibilityTimeout":"30""#))
        #expect(await harness.get("/admin/api/queues/us-east-1/000000000000/nope").status == 404)
    }

    @Test func messagesArePagedAndFilteredWithoutChangingThem() async throws {
        let harness = try await AdminTestHarness()
        var ids: [String] = []
        for index in 0..<5 {
            ids.append(try await harness.engine.sendMessage(harness.key, SendMessageInput(body: "m\(index)"), senderID: "x").messageID)
        }
        _ = try await harness.engine.receiveMessage(harness.key, ReceiveMessageInput(maxNumberOfMessages: 2, visibilityTimeout: 60))
        let before = try await harness.deliveryState()

        let page = await harness.get("/admin/api/queues/us-east-1/000000000000/orders/messages?offset=1&limit=2")
        #expect(page.body.contains(#""limit":2"#))
        #expect(page.body.contains(#""total":5"#))
        #expect(page.body.contains(#""body":"m1""#))
        #expect(page.body.contains(#""body":"m2""#))
        #expect(!page.body.contains(#""body":"m0""#))

        let inFlight = await harness.get("/admin/api/queues/us-east-1/000000000000/orders/messages?state=inFlight")
        #expect(inFlight.body.contains(#""total":2"#))
        #expect(inFlight.body.contains(#""state":"inFlight""#))

        let one = await harness.get("/admin/api/queues/us-east-1/000000000000/orders/messages/\(ids[4])")
        #expect(one.body.contains(#""messageId":"\#(ids[4])""#))
        #expect(one.body.contains(#""ApproximateReceiveCount":"0""#))
        #expect(await harness.get("/admin/api/queues/us-east-1/000000000000/orders/messages/nope").status == 404)
        #expect(try await harness.deliveryState() == before)
    }

    @Test func functionsMappingsInvocationsAndTheCSRFToken() async throws {
        let harness = try await AdminTestHarness()
        harness.functions.register(InProcessFunction(name: "Echo") { invocation, _ in invocation.payload })
        _ = try await harness.mappings.create(eventSourceArn: harness.key.arn, functionName: "Echo", settings: EventSourceMappingSettings(enabled: false))
        let invoked = await harness.post("/admin/functions/Echo/invoke", [("event", #"{"x":1}"#)], headers: [("Accept", "application/json")])
        #expect(invoked.status == 200)
        #expect(invoked.body.contains(#""invocationId":1"#))
        #expect(invoked.body.contains(#""ok":true"#))

        let functions = await harness.get("/admin/api/functions")
        #expect(functions.body.contains(#""name":"Echo""#))
        #expect(functions.body.contains(#""state":"Disabled""#))
        let invocations = await harness.get("/admin/api/invocations?function=Echo")
        #expect(invocations.body.contains(#""status":"success""#))
        #expect(!invocations.body.contains(#""event""#))
        let one = await harness.get("/admin/api/invocations/1")
        #expect(one.body.contains(#""event":"{\"x\":1}""#))
        // The invocation's log is its execution environment's stream: INIT_START (a cold start), START, END, REPORT.
        #expect(one.body.contains(#""logLines":["INIT_START Runtime Version: sqslite:inProcess.v1\t"#))
        #expect(one.body.contains(#"","END RequestId: "#))
        #expect(await harness.get("/admin/api/invocations/7").status == 404)

        let csrf = await harness.get("/admin/api/csrf")
        #expect(csrf.body == #"{"csrfToken":"\#(harness.admin.csrfToken)"}"#)
        #expect(await harness.get("/admin/api/nothing").status == 404)
    }
}
