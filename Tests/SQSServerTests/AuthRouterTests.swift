import FoundationEssentials
import Logging
import NIOCore
import NIOHTTP1
import SQSAuth
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSServer
import Synchronization
import Testing

/// `--auth` as a step of the route table, driven in process with requests signed by
/// ``SigV4Signer`` and a clock the test moves (no sleeping): each service's refusal shape, the SQS
/// authorization of both protocols, and the clock-skew window on the server's side.
@Suite("Auth in the router")
struct AuthRouterTests {
    static let host = "localhost:9324"
    static let start = AMZDate.parse("20240101T003000Z")!
    static let sender = PrincipalDefinition(
        name: "chat-sender", type: .user, account: "000000000000", accessKeyID: "AKIAEXAMPLESENDER01", secretAccessKey: "sender-secret",
        policies: [
            try! PolicyDocument(
                json: #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":["sqs:SendMessage","sqs:GetQueueUrl"],"Resource":"arn:aws:sqs:us-east-1:000000000000:ChatAPP"}]}"#,
                kind: .identity)
        ])

    /// The time the server's access control reads, moved by the tests.
    final class TestTime: Sendable {
        let value = Mutex<Int64>(AuthRouterTests.start)
    }

    final class Harness: Sendable {
        let now = TestTime()
        let engine: QueueEngine
        let router: ServerRouter
        let access: AccessControl

        init() async throws {
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            engine = QueueEngine(store: MemoryQueueStore(), clock: ManualClock(), logger: logger)
            try await engine.start()
            _ = try await engine.createQueue(QueueKey(account: "000000000000", region: "us-east-1", name: "ChatAPP"), attributes: [:], tags: [:])
            let now = self.now
            access = try AccessControl(principals: [AuthRouterTests.sender], clock: { now.value.withLock { $0 } })
            let invoker = FunctionInvoker(
                functions: FunctionRegistry(), log: InvocationLog(), account: "000000000000", region: "us-east-1", clock: SystemClock(), logger: logger)
            let mappings = EventSourceMappingManager(engine: engine, invoker: invoker, store: MemoryMappingStore(), logger: logger)
            router = ServerRouter(
                engine: engine, defaults: ServerDefaults(authority: AuthRouterTests.host), lambda: LambdaAPIResponder(mappings: mappings, invoker: invoker),
                auth: RequestAuthenticator(access: access, engine: engine))
        }

        /// Sends a request signed at `signedAt` (the harness's clock by default) by the sender.
        func send(
            _ method: HTTPMethod, _ uri: String, headers extra: [(name: String, value: String)] = [], body: String = "", service: String = "sqs",
            signedAt: Int64? = nil, signed: Bool = true
        ) async -> (status: Int, headers: HTTPHeaders, body: String) {
            var fields: [(name: String, value: String)] = [("Host", AuthRouterTests.host)] + extra
            if signed {
                let credential = AuthRouterTests.sender
                fields += SigV4Signer.sign(
                    method: method.rawValue, uri: uri, headers: fields, body: Array(body.utf8),
                    credential: SigningCredential(
                        accessKeyID: credential.accessKeyID!, secretAccessKey: credential.secretAccessKey!,
                        caller: PrincipalDirectory.caller(of: credential, session: credential.name)),
                    region: "us-east-1", service: service, timestamp: signedAt ?? now.value.withLock { $0 })
            }
            var headers = HTTPHeaders()
            for field in fields { headers.add(name: field.name, value: field.value) }
            let response = await router.respond(
                to: HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: method, uri: uri, headers: headers), body: ByteBuffer(string: body)))
            return (Int(response.status.code), response.headers, String(buffer: response.body))
        }

        func json(_ action: String, _ body: String, signedAt: Int64? = nil) async -> (status: Int, headers: HTTPHeaders, body: String) {
            await send(
                .POST, "/", headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.\(action)")], body: body,
                signedAt: signedAt)
        }
    }

    @Test func sqsJSONAllowsWhatThePolicyAllowsAndDeniesTheRest() async throws {
        let harness = try await Harness()
        let sent = await harness.json("SendMessage", #"{"QueueUrl":"http://localhost:9324/000000000000/ChatAPP","MessageBody":"hi"}"#)
        #expect(sent.status == 200, "\(sent.body)")
        let denied = await harness.json("ReceiveMessage", #"{"QueueUrl":"http://localhost:9324/000000000000/ChatAPP"}"#)
        #expect(denied.status == 403)
        #expect(denied.headers.first(name: "x-amzn-query-error") == "AccessDenied;Sender")
        #expect(denied.body.contains(#""__type":"com.amazon.coral.service#AccessDeniedException""#))
        #expect(
            denied.body.contains(
                "User: arn:aws:iam::000000000000:user/chat-sender is not authorized to perform: sqs:receivemessage on resource: arn:aws:sqs:us-east-1:000000000000:ChatAPP because no identity-based policy allows the sqs:receivemessage action"
            ))
        // Nothing was received: the denied request did not run.
        let counts = try await harness.engine.getQueueAttributes(
            QueueKey(account: "000000000000", region: "us-east-1", name: "ChatAPP"), names: ["ApproximateNumberOfMessagesNotVisible"])
        #expect(counts["ApproximateNumberOfMessagesNotVisible"] == "0")
    }

    @Test func sqsQueryRefusalsAreXML() async throws {
        let harness = try await Harness()
        let form = [("Content-Type", "application/x-www-form-urlencoded")] as [(name: String, value: String)]
        let allowed = await harness.send(.POST, "/", headers: form, body: "Action=GetQueueUrl&Version=2012-11-05&QueueName=ChatAPP")
        #expect(allowed.status == 200)
        let denied = await harness.send(.POST, "/000000000000/ChatAPP", headers: form, body: "Action=PurgeQueue&Version=2012-11-05")
        #expect(denied.status == 403)
        #expect(denied.body.contains("<Code>AccessDenied</Code>"))
        #expect(denied.body.contains("sqs:purgequeue"))
        let unsigned = await harness.send(.POST, "/", headers: form, body: "Action=ListQueues", signed: false)
        #expect(unsigned.status == 403)
        #expect(unsigned.body.contains("<Code>MissingAuthenticationToken</Code>"))
    }

    @Test func theServersClockDecidesTheSkew() async throws {
        let harness = try await Harness()
        let body = #"{"QueueUrl":"http://localhost:9324/000000000000/ChatAPP","MessageBody":"hi"}"#
        #expect(await harness.json("SendMessage", body).status == 200)
        let signedAt = harness.now.value.withLock { $0 }
        harness.now.value.withLock { $0 += 15 * 60 }
        #expect(await harness.json("SendMessage", body, signedAt: signedAt).status == 200)
        harness.now.value.withLock { $0 += 1 }
        let stale = await harness.json("SendMessage", body, signedAt: signedAt)
        #expect(stale.status == 403)
        #expect(stale.headers.first(name: "x-amzn-query-error") == "SignatureDoesNotMatch;Sender")
        #expect(stale.body.contains("Signature expired: 20240101T003000Z is now earlier than 20240101T003001Z (20240101T004501Z - 15 min.)"))
    }

    @Test func lambdaRefusalsHaveLambdasShape() async throws {
        let harness = try await Harness()
        let unsigned = await harness.send(.GET, "/2015-03-31/functions", signed: false)
        #expect(unsigned.status == 403)
        #expect(unsigned.headers.first(name: "x-amzn-ErrorType") == "MissingAuthenticationTokenException")
        #expect(unsigned.body.contains("Missing Authentication Token"))
        let denied = await harness.send(.GET, "/2015-03-31/functions", service: "lambda")
        #expect(denied.status == 403)
        #expect(denied.headers.first(name: "x-amzn-ErrorType") == "AccessDeniedException")
        #expect(denied.body.contains("not authorized to perform: lambda:ListFunctions on resource: *"))
        let wrongService = await harness.send(.GET, "/2015-03-31/functions", service: "sqs")
        #expect(wrongService.headers.first(name: "x-amzn-ErrorType") == "InvalidSignatureException")
        #expect(wrongService.body.contains("Credential should be scoped to correct service: 'lambda'. "))
    }

    @Test func getCallerIdentityNamesTheSigner() async throws {
        let harness = try await Harness()
        let answer = await harness.send(
            .POST, "/", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "Action=GetCallerIdentity&Version=2011-06-15",
            service: "sts")
        #expect(answer.status == 200)
        #expect(answer.body.contains("<Arn>arn:aws:iam::000000000000:user/chat-sender</Arn>"))
        #expect(answer.body.contains("<Account>000000000000</Account>"))
        #expect(answer.body.contains("<UserId>AIDA"))
        let other = await harness.send(
            .POST, "/", headers: [("Content-Type", "application/x-www-form-urlencoded")], body: "Action=AssumeRole&Version=2011-06-15", service: "sts")
        #expect(other.status == 400)
        #expect(other.body.contains("<Code>InvalidAction</Code>"))
    }

    @Test func aServiceActsOnAQueueOnlyAsItsPolicyAllows() async throws {
        let harness = try await Harness()
        let auth = RequestAuthenticator(access: harness.access, engine: harness.engine)
        let queue = QueueKey(account: "000000000000", region: "us-east-1", name: "ChatAPP")
        let topic = "arn:aws:sns:us-east-1:000000000000:orders"
        let refused = await auth.serviceRefusal("sns.amazonaws.com", action: "sqs:SendMessage", queue: queue, sourceArn: topic, sourceAccount: "000000000000")
        #expect(refused?.kind == .accessDenied)
        let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"sns.amazonaws.com"},"Action":"sqs:SendMessage","Resource":"arn:aws:sqs:us-east-1:000000000000:ChatAPP","Condition":{"ArnEquals":{"aws:SourceArn":"arn:aws:sns:us-east-1:000000000000:orders"}}}]}"#
        try await harness.engine.setQueueAttributes(queue, attributes: ["Policy": policy])
        #expect(await auth.serviceRefusal("sns.amazonaws.com", action: "sqs:SendMessage", queue: queue, sourceArn: topic, sourceAccount: "000000000000") == nil)
        let other = await auth.serviceRefusal(
            "sns.amazonaws.com", action: "sqs:SendMessage", queue: queue, sourceArn: topic + "-other", sourceAccount: "000000000000")
        #expect(other?.kind == .accessDenied)
    }

    @Test func healthAndMetricsNeedNoSignature() async throws {
        let harness = try await Harness()
        #expect(await harness.send(.GET, "/health", signed: false).status == 200)
    }
}
