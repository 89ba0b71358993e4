import Logging
import SQSEngine
import SQSLambda
import SQSServer
import Synchronization
import Testing

/// The README's library example: a server on port 0 with in-memory storage, a Swift closure as
/// the function, a queue mapped to it.
@Suite("sqslite as a library", .timeLimit(.minutes(1)))
struct InProcessFunctionServerTests {
    @Test func aClosureMappedToAQueueGetsItsMessages() async throws {
        let server = SQSLiteServer(
            options: ServerOptions(port: 0, inMemory: true), logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
        let bodies = Mutex<[String]>([])
        server.functions.register(InProcessFunction(name: "MessageProcessor") { (event: SQSEvent, _) -> SQSBatchResponse? in
            bodies.withLock { $0 += event.records.map(\.body) }
            return nil
        })
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let port = try #require(await server.boundPort)
            try await withConnection(port: port) { connection in
                for (action, body) in [
                    ("CreateQueue", #"{"QueueName":"ChatAPP"}"#),
                    ("SendMessage", #"{"QueueUrl":"ChatAPP","MessageBody":"hello"}"#),
                ] {
                    try await connection.send(
                        "POST / HTTP/1.1\r\nHost: localhost\r\nX-Amz-Target: AmazonSQS.\(action)\r\nContent-Length: \(body.utf8.count)\r\n\r\n\(body)")
                    #expect(try await connection.readResponse()?.status == 200)
                }
            }
            try await server.mapQueue("ChatAPP", to: "MessageProcessor")
            // The invocation is recorded once the closure has returned.
            for _ in 0..<1000 where server.invocations.recent().isEmpty {
                try await Task.sleep(for: .milliseconds(5))
            }
            #expect(bodies.withLock { $0 } == ["hello"])
            #expect(server.invocations.recent().first?.status == .success)
            group.cancelAll()
        }
    }
}
