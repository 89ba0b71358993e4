import FoundationEssentials
import Logging
@testable import SQSServer
import Testing

/// The whole server through its composition root: config file, engine, routes, HTTP.
@Suite("SQSLiteServer")
struct SQSLiteServerTests {
    static let logger = Logger(label: "test")

    private func withRunningServer(
        config: String? = nil, trimsMemory: Bool = false, _ body: (Int) async throws -> Void
    ) async throws {
        var configPath: String?
        if let config {
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("sqslite-\(UUID().uuidString).yaml").path
            #expect(FileManager.default.createFile(atPath: path, contents: Data(config.utf8)))
            configPath = path
        }
        var options = ServerOptions(port: 0, inMemory: true, configPath: configPath)
        options.allowedHosts = ["sqs.test"]
        options.trimsMemory = trimsMemory
        let server = SQSLiteServer(options: options, logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try #require(await server.boundPort)
            try await body(port)
            group.cancelAll()
        }
    }

    private func call(_ connection: inout RawConnection, _ action: String, _ body: String, accessKey: String = "AKID") async throws -> RawResponse {
        let auth = "AWS4-HMAC-SHA256 Credential=\(accessKey)/20240101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=x"
        try await connection.send(
            "POST / HTTP/1.1\r\nHost: sqs.test:4566\r\nX-Amz-Target: AmazonSQS.\(action)\r\nContent-Type: application/x-amz-json-1.0\r\n"
                + "Authorization: \(auth)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
        return try #require(try await connection.readResponse())
    }

    @Test func healthAndTheSQSRouteWorkThroughTheRealComposition() async throws {
        try await withRunningServer(config: "queues:\n  - name: from-config\n    attributes: {VisibilityTimeout: 7}\n") { port in
            try await withConnection(port: port) { connection in
                try await connection.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                let health = try #require(try await connection.readResponse())
                #expect(health.status == 200)
                #expect(health.body.contains("\"ok\""))

                let created = try await call(&connection, "CreateQueue", #"{"QueueName":"orders"}"#)
                #expect(created.status == 200)
                #expect(created.headers["x-amzn-requestid"] != nil)
                #expect(created.body == #"{"QueueUrl":"http://sqs.test:4566/000000000000/orders"}"#)

                // Config queues live in the default region; this request signs for eu-west-1.
                let missing = try await call(&connection, "GetQueueUrl", #"{"QueueName":"from-config"}"#)
                #expect(missing.status == 400)
                #expect(missing.headers["x-amzn-query-error"] == "AWS.SimpleQueueService.NonExistentQueue;Sender")

                let other = try await call(&connection, "CreateQueue", #"{"QueueName":"orders"}"#, accessKey: "123456789012")
                #expect(other.body == #"{"QueueUrl":"http://sqs.test:4566/123456789012/orders"}"#)
            }
        }
    }

    /// The memory trimmer (as `sqslite serve` runs it) neither gets in the way of requests nor holds
    /// up shutdown with its sleep between trims.
    @Test func theMemoryTrimmerDoesNotHoldUpShutdown() async throws {
        var shutdownStart = ContinuousClock.now
        try await withRunningServer(trimsMemory: true) { port in
            try await withConnection(port: port) { connection in
                try await connection.send("GET /health HTTP/1.1\r\nHost: localhost\r\n\r\n")
                #expect(try #require(try await connection.readResponse()).status == 200)
            }
            // The server stops once this closure returns.
            shutdownStart = ContinuousClock.now
        }
        #expect(ContinuousClock.now - shutdownStart < .seconds(MemoryTrimmer.interval / 2))
    }

    @Test func configQueuesExistBeforeTheFirstRequest() async throws {
        try await withRunningServer(config: "queues:\n  - name: from-config\n    attributes: {VisibilityTimeout: 7}\n") { port in
            try await withConnection(port: port) { connection in
                let body = #"{"QueueUrl":"http://h/000000000000/from-config","AttributeNames":["VisibilityTimeout"]}"#
                try await connection.send(
                    "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AmazonSQS.GetQueueAttributes\r\nContent-Length: \(body.utf8.count)\r\n\r\n" + body)
                let response = try #require(try await connection.readResponse())
                #expect(response.body == #"{"Attributes":{"VisibilityTimeout":"7"}}"#)
            }
        }
    }

    @Test func aBadConfigStopsStartupWithAStartupError() async throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("bad-\(UUID().uuidString).yaml").path
        #expect(FileManager.default.createFile(atPath: path, contents: Data("queues:\n  - name: a\n    attributes: {DelaySeconds: 901}\n".utf8)))
        let server = SQSLiteServer(options: ServerOptions(port: 0, inMemory: true, configPath: path), logger: Self.logger)
        await #expect(throws: StartupError.self) { try await server.run() }
        #expect(await server.boundPort == nil)
    }
}
