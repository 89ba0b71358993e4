import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSServer
import Testing

/// The admin page's HTML routes, through the router: every page renders, escapes what users
/// wrote, and reading changes no message.
@Suite("Admin pages")
struct AdminPageTests {
    @Test func theQueuesPageListsQueuesWithTheirCountsAndLinks() async throws {
        let harness = try await AdminTestHarness()
        let dlq = QueueKey(account: "000000000000", region: "us-east-1", name: "orders-dlq")
        _ = try await harness.engine.createQueue(dlq, attributes: [:], tags: [:])
        try await harness.engine.setQueueAttributes(
            harness.key, attributes: ["RedrivePolicy": #"{"deadLetterTargetArn":"\#(dlq.arn)","maxReceiveCount":3}"#])
        _ = try await harness.engine.sendMessage(harness.key, SendMessageInput(body: "a"), senderID: "x")

        let page = await harness.get("/admin")
        #expect(page.status == 200)
        #expect(page.headers.first(name: "content-type") == "text/html; charset=utf-8")
        #expect(page.body.contains(#"<a class="qname" href="/admin/queues/us-east-1/000000000000/orders">orders</a>"#))
        #expect(page.body.contains(#"data-queue="us-east-1/000000000000/orders" data-field="visible">1</td>"#))
        #expect(page.body.contains(#"<a href="/admin/queues/us-east-1/000000000000/orders-dlq">orders-dlq</a> <span class="sub">after 3</span>"#))
        #expect(page.body.contains(#"data-live="/admin/api/queues""#))
        #expect(page.body.contains(#"<meta name="csrf-token" content="\#(harness.admin.csrfToken)">"#))
        #expect(page.body.contains(#"<script src="/admin/assets/admin.js" defer></script>"#))
        #expect(!page.body.contains("<script>"))
        #expect(page.headers.first(name: "content-security-policy")?.contains("script-src 'self'") == true)
        #expect(await harness.get("/admin/").status == 200)
    }

    @Test func theQueuePageListsMessagesByStateWithoutChangingThem() async throws {
        let harness = try await AdminTestHarness()
        let engine = harness.engine
        _ = try await engine.sendMessage(harness.key, SendMessageInput(body: "<img src=x onerror=alert(1)>"), senderID: "x")
        _ = try await engine.sendMessage(harness.key, SendMessageInput(body: "second"), senderID: "x")
        _ = try await engine.sendMessage(harness.key, SendMessageInput(body: "later", delaySeconds: 60), senderID: "x")
        _ = try await engine.receiveMessage(harness.key, ReceiveMessageInput(maxNumberOfMessages: 1, visibilityTimeout: 60))
        let before = try await harness.deliveryState()

        let page = await harness.get("/admin/queues/us-east-1/000000000000/orders")
        #expect(page.status == 200)
        #expect(page.body.contains("&lt;img src=x onerror=alert(1)&gt;"))
        #expect(!page.body.contains("<img src=x"))
        #expect(page.body.contains(#"<span class="badge state-inFlight">in flight</span>"#))
        #expect(page.body.contains(#"<span class="badge state-delayed">delayed</span>"#))
        #expect(page.body.contains(#"<span class="badge state-visible">visible</span>"#))
        #expect(page.body.contains("1–3 of 3"))
        #expect(page.body.contains(#"name="VisibilityTimeout" value="30""#))

        let delayedOnly = await harness.get("/admin/queues/us-east-1/000000000000/orders?state=delayed")
        #expect(delayedOnly.body.contains("later"))
        #expect(!delayedOnly.body.contains("second"))
        #expect(try await harness.deliveryState() == before)

        #expect(await harness.get("/admin/queues/us-east-1/000000000000/missing").status == 404)
    }

    @Test func theMessagePageShowsThePrettyBodyAndAttributes() async throws {
        let harness = try await AdminTestHarness()
        let sent = try await harness.engine.sendMessage(
            harness.key, SendMessageInput(body: #"{"b":[1,2],"a":"<b>x</b>"}"#, attributes: ["tenant": .string("acme & co")]), senderID: "x")
        let before = try await harness.deliveryState()

        let page = await harness.get("/admin/queues/us-east-1/000000000000/orders/messages/\(sent.messageID)")
        #expect(page.status == 200)
        #expect(page.body.contains("{\n  &quot;a&quot; : &quot;&lt;b&gt;x&lt;/b&gt;&quot;,\n  &quot;b&quot; : [\n    1,\n    2\n  ]\n}"))
        #expect(page.body.contains("acme &amp; co"))
        #expect(page.body.contains("ApproximateReceiveCount"))
        #expect(page.body.contains(#"action="/admin/queues/us-east-1/000000000000/orders/messages/\#(sent.messageID)/delete""#))
        #expect(try await harness.deliveryState() == before)

        #expect(await harness.get("/admin/queues/us-east-1/000000000000/orders/messages/nope").status == 404)
    }

    @Test func theFunctionPagesShowFunctionsMappingsAndInvocations() async throws {
        let harness = try await AdminTestHarness()
        harness.functions.register(InProcessFunction(name: "Echo") { invocation, _ in invocation.payload })
        let mapping = try await harness.mappings.create(
            eventSourceArn: harness.key.arn, functionName: "Echo", settings: EventSourceMappingSettings(enabled: false))

        let list = await harness.get("/admin/functions")
        #expect(list.status == 200)
        #expect(list.body.contains(#"<a class="qname" href="/admin/functions/Echo">Echo</a>"#))
        #expect(list.body.contains(#"action="/admin/mappings/\#(mapping.uuid)/enable""#))
        #expect(list.body.contains("No invocations yet."))

        let function = await harness.get("/admin/functions/Echo")
        #expect(function.status == 200)
        #expect(function.body.contains("&quot;eventSourceARN&quot; : &quot;arn:aws:sqs:us-east-1:000000000000:orders&quot;"))
        #expect(function.body.contains(#"action="/admin/functions/Echo/invoke""#))

        let invoked = await harness.post("/admin/functions/Echo/invoke", [("event", #"{"Records":[{"body":"<i>hi</i>"}]}"#)])
        #expect(invoked.status == 303)
        let location = try #require(invoked.headers.first(name: "location"))
        #expect(location.hasPrefix("/admin/invocations/1?notice="))
        let invocation = await harness.get("/admin/invocations/1")
        #expect(invocation.status == 200)
        #expect(invocation.body.contains("&lt;i&gt;hi&lt;/i&gt;"))
        #expect(invocation.body.contains(#"<span class="badge outcome-success">success</span>"#))
        #expect(await harness.get("/admin/invocations/99").status == 404)
        #expect(await harness.get("/admin/functions/Nope").status == 404)
    }

    @Test func assetsAreServedWithTheirTypes() async throws {
        let harness = try await AdminTestHarness()
        let css = await harness.get("/admin/assets/admin.css")
        #expect(css.status == 200)
        #expect(css.headers.first(name: "content-type") == "text/css; charset=utf-8")
        let script = await harness.get("/admin/assets/admin.js")
        #expect(script.headers.first(name: "content-type") == "text/javascript; charset=utf-8")
        #expect(script.body.contains("fetch("))
        #expect(await harness.get("/admin/assets/other.js").status == 404)
    }

    @Test func pagesAreGzippedWhenTheClientAcceptsIt() async throws {
        let harness = try await AdminTestHarness()
        let page = await harness.get("/admin", headers: [("Accept-Encoding", "gzip, deflate, br")])
        #expect(page.headers.first(name: "content-encoding") == "gzip")
        #expect(page.headers.first(name: "vary") == "Accept-Encoding")
        let plain = await harness.get("/admin")
        #expect(plain.headers.first(name: "content-encoding") == nil)
    }
}
