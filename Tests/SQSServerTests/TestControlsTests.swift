import FoundationEssentials
import Logging
import SQSEngine
import SQSServer
import Testing

/// The test controls through the composition root: the Swift API on ``SQSLiteServer/control``
/// and the admin page's "Test controls" section.
@Suite("Test controls")
struct TestControlsTests {
    static let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    private func withServer(controllableClock: Bool = true, _ body: (SQSLiteServer, Int) async throws -> Void) async throws {
        var options = ServerOptions(port: 0, inMemory: true)
        options.controllableClock = controllableClock
        let server = SQSLiteServer(options: options, logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try #require(await server.boundPort)
            try await body(server, port)
            group.cancelAll()
        }
    }

    private func call(_ connection: inout RawConnection, _ action: String, _ body: String) async throws -> RawResponse {
        try await connection.send(
            "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AmazonSQS.\(action)\r\nContent-Type: application/x-amz-json-1.0\r\n"
                + "Authorization: AWS4-HMAC-SHA256 Credential=AKIDSWIFT/20240101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=x\r\n"
                + "Content-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try #require(try await connection.readResponse())
    }

    @Test func theSwiftAPIMovesTimeInjectsFaultsRecordsCallsAndResets() async throws {
        try await withServer { server, port in
            try await withConnection(port: port) { connection in
                let url = "http://localhost/000000000000/swift"
                #expect(try await call(&connection, "CreateQueue", #"{"QueueName":"swift"}"#).status == 200)
                #expect(try await call(&connection, "SendMessage", #"{"QueueUrl":"\#(url)","MessageBody":"later","DelaySeconds":900}"#).status == 200)
                let receive = #"{"QueueUrl":"\#(url)"}"#
                #expect(try await call(&connection, "ReceiveMessage", receive).body == "{}")
                try await server.control.advance(seconds: 900)
                #expect(try await call(&connection, "ReceiveMessage", receive).body.contains("later"))

                try server.control.fault(action: "SendMessage", queue: "sw*", error: "ServiceUnavailable", count: 1)
                let failed = try await call(&connection, "SendMessage", #"{"QueueUrl":"\#(url)","MessageBody":"lost"}"#)
                #expect(failed.status == 503)
                #expect(failed.headers["x-amzn-query-error"] == "ServiceUnavailable;Receiver")
                #expect(try await call(&connection, "SendMessage", #"{"QueueUrl":"\#(url)","MessageBody":"kept"}"#).status == 200)

                let sends = await server.control.calls(CallFilter(action: "SendMessage", resource: "swift"))
                #expect(sends.map(\.status) == [200, 503, 200])
                #expect(sends.map(\.errorCode) == [nil, "ServiceUnavailable", nil])
                #expect(sends.allSatisfy { $0.principal == "AKIDSWIFT" && $0.service == "sqs" })

                let reset = try await server.control.reset()
                #expect(reset["sqs"] == ["queues": 1, "messages": 2])
                #expect(try await call(&connection, "GetQueueUrl", #"{"QueueName":"swift"}"#).status == 400)
                #expect(server.control.faults.rules.isEmpty)
            }
        }
    }

    /// `.mmmZ`: the milliseconds of `milliseconds`, three digits.
    private static func fraction(_ milliseconds: Int64) -> String {
        let digits = String(milliseconds % 1000)
        return "." + String(repeating: "0", count: 3 - digits.count) + digits + "Z"
    }

    @Test func theClockAPIShowsTheExactMillisecondInItsISOText() async throws {
        try await withServer { server, port in
            // A time a day ahead that Foundation's formatters, through a Double of seconds, show one
            // millisecond early.
            let start = (try await server.control.freeze()).milliseconds + 86_400_000
            let style = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
            let target = try #require((start..<(start + 10_000)).first { milliseconds in
                let text = Date(timeIntervalSince1970: Double(milliseconds) / 1000).formatted(style)
                return !text.hasSuffix(Self.fraction(milliseconds))
            })
            try await server.control.advance(to: Timestamp(milliseconds: target))
            try await withConnection(port: port) { connection in
                try await connection.send("GET /_sqslite/clock HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let body = try #require(try await connection.readResponse()).body
                let whole = Date(timeIntervalSince1970: Double(target / 1000)).formatted(Date.ISO8601FormatStyle())
                let expected = whole.dropLast() + Self.fraction(target)
                #expect(body.contains(#""now":\#(target)"#))
                #expect(body.contains(#""nowIso":"\#(expected)""#), "\(body)")
            }
        }
    }

    @Test func withoutAControllableClockTheSwiftAPIRefusesToMoveTime() async throws {
        try await withServer(controllableClock: false) { server, port in
            #expect(server.control.clock == nil)
            await #expect(throws: TestControlError.clockNotControllable) { try await server.control.advance(seconds: 1) }
            try await withConnection(port: port) { connection in
                try await connection.send("POST /_sqslite/clock/freeze HTTP/1.1\r\nHost: localhost\r\nContent-Length: 0\r\n\r\n")
                let refused = try #require(try await connection.readResponse())
                #expect(refused.status == 403)
                #expect(refused.body.contains("--controllable-clock"))
            }
        }
    }

    @Test func theAdminPageShowsAndDrivesTheTestControls() async throws {
        try await withServer { server, port in
            try await withConnection(port: port) { connection in
                #expect(try await call(&connection, "CreateQueue", #"{"QueueName":"admin-q"}"#).status == 200)
                try await connection.send("GET /admin/api/csrf HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let csrfBody = try #require(try await connection.readResponse()).body
                let csrf = try #require(csrfBody.split(separator: "\"").dropFirst(3).first.map(String.init))

                func post(_ path: String, _ form: String) async throws -> RawResponse {
                    let body = form + "&_csrf=\(csrf)"
                    try await connection.send(
                        "POST \(path) HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nAccept: application/json\r\n"
                            + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                    return try #require(try await connection.readResponse())
                }
                let before = try #require(server.control.clock).now()
                #expect(try await post("/admin/controls/clock/advance", "seconds=3600").status == 200)
                #expect(try #require(server.control.clock).now() >= before.adding(seconds: 3600))
                let added = try await post("/admin/controls/faults", "service=sqs&action=PurgeQueue&target=admin-*&error=ThrottlingException&count=2&latencyMs=5-10")
                #expect(added.status == 200)
                let rule = try #require(server.control.faults.rules.first)
                #expect(rule.action == "PurgeQueue" && rule.queue == "admin-*" && rule.count == 2 && rule.latencyMs == [5, 10])
                let bad = try await post("/admin/controls/faults", "error=NoSuchError")
                #expect(bad.status == 400)

                try await connection.send("GET /admin/controls?action=CreateQueue HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let page = try #require(try await connection.readResponse())
                #expect(page.status == 200)
                #expect(page.body.contains("Test controls"))
                #expect(page.body.contains("PurgeQueue"))
                #expect(page.body.contains("ThrottlingException"))
                #expect(page.body.contains("admin-q"))
                #expect(page.body.contains(#"action="/admin/controls/clock/advance""#))

                // Without the CSRF token nothing changes.
                let body = "seconds=60"
                try await connection.send(
                    "POST /admin/controls/clock/advance HTTP/1.1\r\nHost: localhost\r\nOrigin: http://localhost\r\nAccept: application/json\r\n"
                        + "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                #expect(try #require(try await connection.readResponse()).status == 403)

                #expect(try await post("/admin/controls/faults/clear", "x=1").status == 200)
                #expect(server.control.faults.rules.isEmpty)
            }
        }
    }

    @Test func theConfigFileTakesATestControlsSection() throws {
        let config = try ConfigFile.parse(
            "testControls:\n  controllableClock: true\n  callRecordSize: 50\n  recordCallBodies: true\n", path: "c.yaml")
        #expect(config.testControls.controllableClock)
        #expect(config.testControls.callRecordSize == 50)
        #expect(config.testControls.recordCallBodies)
        #expect(!config.testControls.recordCallsInDatabase)
        #expect(throws: ConfigFileError.self) { try ConfigFile.parse("testControls:\n  controllableClok: true\n", path: "c.yaml") }
        #expect(throws: ConfigFileError.self) { try ConfigFile.parse("testControls:\n  callRecordSize: -1\n", path: "c.yaml") }
        #expect(throws: ConfigFileError.self) { try ConfigFile.parse("testControls:\n  controllableClock: \"true\"\n", path: "c.yaml") }
    }
}
