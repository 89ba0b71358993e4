import Logging
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSServer
import Synchronization
import Testing

/// One message's life can be followed in the logs: send, receive and delete lines carry the queue,
/// the message id and the request id.
@Suite("Lifecycle logs")
struct LifecycleLogTests {
    final class Capture: Sendable {
        let lines = Mutex<[(message: String, metadata: [String: String])]>([])
    }

    struct CapturingHandler: LogHandler {
        let capture: Capture
        var logLevel: Logger.Level = .debug
        var metadata: Logger.Metadata = [:]
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = (event.metadata ?? [:]).mapValues { "\($0)" }
            capture.lines.withLock { $0.append((event.message.description, merged)) }
        }
    }

    @Test func sendReceiveAndDeleteLinesCarryMessageAndRequestIDs() async throws {
        let capture = Capture()
        var logger = Logger(label: "test", factory: { _ in CapturingHandler(capture: capture) })
        logger.logLevel = .debug
        let engine = QueueEngine(store: MemoryQueueStore(), clock: ManualClock(), logger: logger)
        try await engine.start()
        let router = ServerRouter(engine: engine, defaults: ServerDefaults())

        func call(_ action: String, _ body: String) async -> (body: String, requestID: String) {
            var headers = HTTPHeaders()
            headers.add(name: "X-Amz-Target", value: "AmazonSQS.\(action)")
            let response = await router.respond(
                to: HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: headers), body: ByteBuffer(string: body)))
            return (String(buffer: response.body), response.headers.first(name: "x-amzn-RequestId") ?? "")
        }
        _ = await call("CreateQueue", #"{"QueueName":"q"}"#)
        let sent = await call("SendMessage", #"{"QueueUrl":"q","MessageBody":"hi"}"#)
        let messageID = try #require(sent.body.split(separator: "\"MessageId\":\"").dropFirst().first?.split(separator: "\"").first)
        let received = await call("ReceiveMessage", #"{"QueueUrl":"q"}"#)
        let handle = try #require(received.body.split(separator: "\"ReceiptHandle\":\"").dropFirst().first?.split(separator: "\"").first)
        let deleted = await call("DeleteMessage", #"{"QueueUrl":"q","ReceiptHandle":"\#(handle)"}"#)

        let lines = capture.lines.withLock { $0 }.filter { $0.metadata["messageId"] == String(messageID) }
        #expect(lines.map(\.message) == ["message sent", "message received", "message deleted"])
        #expect(lines.map { $0.metadata["requestId"] } == [sent.requestID, received.requestID, deleted.requestID])
        #expect(lines.allSatisfy { $0.metadata["queue"] == "000000000000/us-east-1/q" })
        #expect(lines.map { $0.metadata["receiveCount"] } == ["0", "1", "1"])
    }
}
