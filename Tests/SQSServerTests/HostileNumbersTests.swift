import NIOHTTP1
import SQSEngine
import SQSLambda
import Testing

/// Every integer or index a request carries, hostile: negative, beyond `Int`, `Int.max`, not a
/// number. Each route answers a 4xx in its service's shape (or an empty page), and the server
/// never traps.
@Suite("Hostile numbers")
struct HostileNumbersTests {
    static let hostile = ["-1", "-9223372036854775808", "99999999999999999999", "abc", "1.5", "0x10", "%00"]

    @Test func lambdaListMarkersAndMaxItemsAreCheckedNotUsedAsIndexes() async throws {
        let harness = try await HostileClientHarness()
        harness.functions.register(InProcessFunction(name: "worker") { _, _ in [] })
        _ = try await harness.engine.createQueue(QueueKey(account: "000000000000", region: "us-east-1", name: "orders"), attributes: [:], tags: [:])
        _ = try await harness.mappings.create(
            eventSourceArn: "arn:aws:sqs:us-east-1:000000000000:orders", functionName: "worker", settings: .init())

        for path in ["/2015-03-31/event-source-mappings", "/2015-03-31/functions/"] {
            for value in Self.hostile {
                let marker = await harness.get("\(path)?Marker=\(value)")
                #expect(marker.status == 400, "\(path) Marker=\(value): \(marker.body)")
                #expect(HostileClientHarness.lambdaError(marker) == "InvalidParameterValueException")
                #expect(marker.body.contains(#""Type":"User""#))
            }
            for value in Self.hostile + ["0", "10001"] {
                let maxItems = await harness.get("\(path)?MaxItems=\(value)")
                #expect(maxItems.status == 400, "\(path) MaxItems=\(value): \(maxItems.body)")
                #expect(HostileClientHarness.lambdaError(maxItems) == "InvalidParameterValueException")
            }
            // A marker past the end (even Int.max) is an empty last page, with no NextMarker.
            for value in ["1", "9223372036854775807"] {
                let past = await harness.get("\(path)?Marker=\(value)&MaxItems=10000")
                #expect(past.status == 200, "\(path) Marker=\(value): \(past.body)")
                #expect(!past.body.contains("NextMarker"))
            }
        }
        let first = await harness.get("/2015-03-31/event-source-mappings?MaxItems=1")
        #expect(first.status == 200 && first.body.contains(#""UUID""#))
    }

    @Test func adminQueryNumbersAreCheckedOnEveryPageAndDocument() async throws {
        let harness = try await HostileClientHarness()
        let key = QueueKey(account: "000000000000", region: "us-east-1", name: "orders")
        _ = try await harness.engine.createQueue(key, attributes: [:], tags: [:])
        _ = try await harness.engine.sendMessage(key, SendMessageInput(body: "hello"), senderID: "x")
        let routes = [
            ("/admin", "offset"), ("/admin", "limit"), ("/admin/api/queues", "offset"), ("/admin/api/queues", "limit"),
            ("/admin/queues/us-east-1/000000000000/orders", "offset"),
            ("/admin/api/queues/us-east-1/000000000000/orders/messages", "offset"),
            ("/admin/api/queues/us-east-1/000000000000/orders/messages", "limit"), ("/admin/api/invocations", "limit"),
        ]
        for (path, name) in routes {
            for value in Self.hostile {
                let response = await harness.get("\(path)?\(name)=\(value)", headers: [("Accept", "application/json")])
                #expect(response.status == 400, "\(path)?\(name)=\(value): \(response.status) \(response.body.prefix(200))")
            }
            if name == "offset" {
                let far = await harness.get("\(path)?offset=9223372036854775807")
                #expect(far.status == 200, "\(path)?offset=Int.max: \(far.status)")
            }
        }
        for path in ["/admin/api/invocations/99999999999999999999", "/admin/api/invocations/-1", "/admin/invocations/-1"] {
            #expect(await harness.get(path).status == 404, "\(path)")
        }
        // Form numbers too: a redrive rate or a maxReceiveCount that is not a number is refused.
        let csrf = await harness.get("/admin/api/csrf").body.split(separator: "\"").dropLast().last.map(String.init) ?? ""
        let origin = [("Origin", "http://\(HostileClientHarness.host)"), ("Accept", "application/json"),
            ("Content-Type", "application/x-www-form-urlencoded"), ("X-CSRF-Token", csrf)]
        let create = await harness.send(
            .POST, "/admin/queues", headers: origin, body: Array("name=jobs&deadLetterTarget=orders&maxReceiveCount=99999999999999999999".utf8))
        #expect(create.status == 400, "\(create.body)")
        let quoted = await harness.send(
            .POST, "/admin/queues", headers: origin, body: Array(#"name=jobs2&deadLetterTarget=orders%22,%22x%22:%221&maxReceiveCount=3"#.utf8))
        #expect(quoted.status == 400, "a quote in the target must not reach the policy's JSON: \(quoted.body)")
    }

    @Test func sqsJSONNumbersGetAnAWSErrorNeverATrap() async throws {
        let harness = try await HostileClientHarness()
        #expect(await harness.sqs("CreateQueue", #"{"QueueName":"orders"}"#).status == 200)
        let url = #""QueueUrl":"http://localhost:9324/000000000000/orders""#
        let numbers = ["-1", "-9223372036854775808", "9223372036854775807", "99999999999999999999", "1e300", "-1e300", "1.5", #""abc""#, "null"]
        var calls: [(String, String)] = []
        for n in numbers {
            calls += [
                ("ReceiveMessage", "{\(url),\"MaxNumberOfMessages\":\(n)}"), ("ReceiveMessage", "{\(url),\"VisibilityTimeout\":\(n)}"),
                ("ReceiveMessage", "{\(url),\"WaitTimeSeconds\":\(n)}"), ("SendMessage", "{\(url),\"MessageBody\":\"x\",\"DelaySeconds\":\(n)}"),
                ("SendMessageBatch", "{\(url),\"Entries\":[{\"Id\":\"a\",\"MessageBody\":\"x\",\"DelaySeconds\":\(n)}]}"),
                ("ChangeMessageVisibility", "{\(url),\"ReceiptHandle\":\"abc\",\"VisibilityTimeout\":\(n)}"),
                ("ListQueues", "{\"MaxResults\":\(n)}"), ("ListDeadLetterSourceQueues", "{\(url),\"MaxResults\":\(n)}"),
                ("StartMessageMoveTask", "{\"SourceArn\":\"arn:aws:sqs:us-east-1:000000000000:orders\",\"MaxNumberOfMessagesPerSecond\":\(n)}"),
                ("ListMessageMoveTasks", "{\"SourceArn\":\"arn:aws:sqs:us-east-1:000000000000:orders\",\"MaxResults\":\(n)}"),
                ("SetQueueAttributes", "{\(url),\"Attributes\":{\"VisibilityTimeout\":\"\(n)\"}}"),
                ("SetQueueAttributes", "{\(url),\"Attributes\":{\"RedrivePolicy\":\"{\\\"deadLetterTargetArn\\\":\\\"arn:aws:sqs:us-east-1:000000000000:orders\\\",\\\"maxReceiveCount\\\":\(n.replacing("\"", with: "\\\""))}\"}}"),
                ("ListQueues", "{\"NextToken\":\(n)}"),
            ]
        }
        for (action, body) in calls {
            let response = await harness.sqs(action, body)
            // null is "not given", so a few calls succeed; nothing may trap or answer 5xx.
            #expect(response.status < 500, "\(action) \(body): \(response.status) \(response.body)")
            if response.status != 200 {
                #expect(response.body.contains(#""__type":"com.ama"#), "\(action) \(body): \(response.body)")
            }
        }
    }

    @Test func peekIgnoresNumbersItDoesNotTake() async throws {
        let harness = try await HostileClientHarness()
        #expect(await harness.sqs("CreateQueue", #"{"QueueName":"orders"}"#).status == 200)
        for value in Self.hostile {
            let response = await harness.get("/_aws/sqs/messages/us-east-1/000000000000/orders?MaxNumberOfMessages=\(value)")
            #expect(response.status == 200)
        }
    }
}
