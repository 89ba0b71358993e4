import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSServer
import Testing

/// The admin page's changes (POSTs) and its guards: CSRF token, same origin, admin token,
/// turning the page off.
@Suite("Admin actions and security")
struct AdminActionTests {
    let queuePath = "/admin/queues/us-east-1/000000000000/orders"

    @Test func createSendEditDeleteAndPurge() async throws {
        let harness = try await AdminTestHarness()
        let created = await harness.post("/admin/queues", [("name", "jobs"), ("fifo", "true")])
        #expect(created.status == 303)
        #expect(created.headers.first(name: "location")?.hasPrefix("/admin/queues/us-east-1/000000000000/jobs.fifo?notice=") == true)
        let jobs = QueueKey(account: "000000000000", region: "us-east-1", name: "jobs.fifo")
        #expect(await harness.engine.queueExists(jobs))

        let sent = await harness.post(
            "\(queuePath)/send",
            [("body", "line one\r\nline two"), ("delaySeconds", ""), ("attr1.name", "tenant"), ("attr1.type", "String"), ("attr1.value", "acme")])
        #expect(sent.status == 303)
        #expect(sent.headers.first(name: "location")?.contains("notice=Message") == true)
        let messages = try await harness.engine.peekMessages(harness.key, includeInFlight: true, includeDelayed: true, offset: 0, limit: 10)
        #expect(messages.map(\.record.body) == ["line one\nline two"])
        #expect(messages.first?.record.attributes["tenant"] == .string("acme"))

        let fifoWithoutGroup = await harness.post("/admin/queues/us-east-1/000000000000/jobs.fifo/send", [("body", "x")], headers: [("Accept", "application/json")])
        #expect(fifoWithoutGroup.status == 400)
        #expect(fifoWithoutGroup.body.contains(#""ok":false"#))

        let edited = await harness.post("\(queuePath)/attributes", [("VisibilityTimeout", "45"), ("DelaySeconds", "0")])
        #expect(edited.headers.first(name: "location")?.contains("notice=Saved+VisibilityTimeout") == true)
        #expect(try await harness.engine.getQueueAttributes(harness.key, names: ["VisibilityTimeout"]) == ["VisibilityTimeout": "45"])
        let invalid = await harness.post("\(queuePath)/attributes", [("VisibilityTimeout", "-1")])
        #expect(invalid.headers.first(name: "location")?.contains("error=") == true)

        let id = try #require(messages.first?.record.messageID)
        _ = try await harness.engine.receiveMessage(harness.key, ReceiveMessageInput(maxNumberOfMessages: 1, visibilityTimeout: 60))
        let deleted = await harness.post("\(queuePath)/messages/\(id)/delete", headers: [("Accept", "application/json")])
        #expect(deleted.status == 200)
        #expect(deleted.body.contains(#""ok":true"#))
        #expect(try await harness.engine.peekMessage(harness.key, messageID: id) == nil)

        _ = try await harness.engine.sendMessage(harness.key, SendMessageInput(body: "b"), senderID: "x")
        let purged = await harness.post("\(queuePath)/purge")
        #expect(purged.headers.first(name: "location")?.contains("notice=Queue+orders+purged") == true)
        #expect(try await harness.engine.queueSummary(harness.key).total == 0)
    }

    @Test func redriveStartsAMoveTaskBackToTheSource() async throws {
        let harness = try await AdminTestHarness()
        let dlq = QueueKey(account: "000000000000", region: "us-east-1", name: "orders-dlq")
        _ = try await harness.engine.createQueue(dlq, attributes: [:], tags: [:])
        try await harness.engine.setQueueAttributes(
            harness.key, attributes: ["RedrivePolicy": #"{"deadLetterTargetArn":"\#(dlq.arn)","maxReceiveCount":1}"#])
        _ = try await harness.engine.sendMessage(dlq, SendMessageInput(body: "failed"), senderID: "x")

        let page = await harness.get("/admin/queues/us-east-1/000000000000/orders-dlq")
        #expect(page.body.contains("Redrive to source"))
        let started = await harness.post("/admin/queues/us-east-1/000000000000/orders-dlq/redrive", headers: [("Accept", "application/json")])
        #expect(started.status == 200)
        #expect(started.body.contains(#""taskHandle":"#))
        let api = await harness.get("/admin/api/queues/us-east-1/000000000000/orders-dlq")
        #expect(api.body.contains(#""moveTasks":[{"#))
        // Not a dead-letter queue: the engine refuses.
        let refused = await harness.post("\(queuePath)/redrive", headers: [("Accept", "application/json")])
        #expect(refused.status == 400)
    }

    @Test func mappingsCanBeDisabledAndEnabled() async throws {
        let harness = try await AdminTestHarness()
        harness.functions.register(InProcessFunction(name: "Echo") { invocation, _ in invocation.payload })
        let mapping = try await harness.mappings.create(eventSourceArn: harness.key.arn, functionName: "Echo", settings: .init(enabled: false))
        let enabled = await harness.post("/admin/mappings/\(mapping.uuid)/enable")
        #expect(enabled.headers.first(name: "location")?.hasPrefix("/admin/functions?notice=") == true)
        #expect(try await harness.mappings.mapping(uuid: mapping.uuid).enabled)
        _ = await harness.post("/admin/mappings/\(mapping.uuid)/disable")
        #expect(try await harness.mappings.mapping(uuid: mapping.uuid).enabled == false)
        let missing = await harness.post("/admin/mappings/nope/enable", headers: [("Accept", "application/json")])
        #expect(missing.status == 404)
    }

    @Test func changesNeedTheCSRFTokenAndTheSameOrigin() async throws {
        let harness = try await AdminTestHarness()
        let noToken = await harness.post("\(queuePath)/purge", csrf: false)
        #expect(noToken.status == 403)
        let wrongToken = await harness.post("\(queuePath)/purge", [("_csrf", "guess")], csrf: false)
        #expect(wrongToken.status == 403)
        let otherOrigin = await harness.post("\(queuePath)/purge", origin: "http://evil.example")
        #expect(otherOrigin.status == 403)
        let noOrigin = await harness.post("\(queuePath)/purge", origin: nil)
        #expect(noOrigin.status == 403)
        let headerToken = await harness.post(
            "\(queuePath)/purge", csrf: false, headers: [("X-CSRF-Token", harness.admin.csrfToken), ("Accept", "application/json")])
        #expect(headerToken.status == 200)
        // GET never changes anything, and other methods are refused.
        #expect(await harness.send(.DELETE, queuePath).status == 405)
    }

    @Test func theAdminTokenIsRequiredWhenSet() async throws {
        let harness = try await AdminTestHarness(adminToken: "s3cret")
        let anonymous = await harness.get("/admin")
        #expect(anonymous.status == 303)
        #expect(anonymous.headers.first(name: "location") == "/admin/login")
        #expect(await harness.get("/admin/api/queues").status == 401)
        #expect(await harness.get("/admin/login").status == 200)
        #expect(await harness.get("/admin/assets/admin.css").status == 200)

        let bearer = await harness.get("/admin/api/queues", headers: [("Authorization", "Bearer s3cret")])
        #expect(bearer.status == 200)
        let wrong = await harness.post("/admin/login", [("token", "nope")], csrf: false)
        #expect(wrong.status == 401)
        let login = await harness.post("/admin/login", [("token", "s3cret")], csrf: false)
        #expect(login.status == 303)
        let cookie = try #require(login.headers.first(name: "set-cookie"))
        #expect(cookie.hasPrefix("sqslite_admin=s3cret;"))
        #expect(cookie.contains("HttpOnly"))
        #expect(await harness.get("/admin", headers: [("Cookie", "other=1; sqslite_admin=s3cret")]).status == 200)
    }

    @Test func theAdminPageCanBeTurnedOff() async throws {
        let harness = try await AdminTestHarness()
        let router = ServerRouter(engine: harness.engine, defaults: ServerDefaults(authority: AdminTestHarness.host))
        let response = await router.respond(
            to: .init(head: .init(version: .http1_1, method: .GET, uri: "/admin", headers: ["Host": AdminTestHarness.host])))
        #expect(response.status == .notFound)
    }

    @Test func theRatesCountTheLastMinute() {
        let activity = QueueActivity()
        let key = QueueKey(account: "000000000000", region: "us-east-1", name: "q")
        activity.messagesSent(key, sizes: [1, 2, 3])
        activity.messagesReceived(key, count: 2)
        activity.messagesReceived(key, count: 0)
        activity.messagesDeleted(key, count: 1)
        #expect(activity.rates(key) == QueueActivity.Rates(sent: 3, received: 2, deleted: 1))
    }
}
