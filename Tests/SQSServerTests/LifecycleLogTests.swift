import FoundationEssentials
import Logging
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSServer
import Synchronization
import Testing

/// One message's life can be followed in the JSON logs: send, receive, visibility, delete and
/// dead-letter lines carry the queue, the message id and the request id.
@Suite("Lifecycle logs")
struct LifecycleLogTests {
    /// The JSON lines a ``JSONLogHandler`` wrote, decoded.
    final class Capture: Sendable {
        private let lines = Mutex<[[UInt8]]>([])

        func logger(level: Logger.Level) -> Logger {
            var logger = Logger(label: "sqslite") { [self] label in
                JSONLogHandler(label: label) { line in self.lines.withLock { $0.append(line) } }
            }
            logger.logLevel = level
            return logger
        }

        func objects() throws -> [[String: String]] {
            try lines.withLock { $0 }.map { try JSONDecoder().decode([String: String].self, from: Data($0)) }
        }
    }

    struct Fixture {
        let capture = Capture()
        let clock = ManualClock()
        let engine: QueueEngine
        let router: ServerRouter

        init(level: Logger.Level) async throws {
            engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: capture.logger(level: level))
            try await engine.start()
            router = ServerRouter(engine: engine, defaults: ServerDefaults())
        }

        @discardableResult
        func call(_ action: String, _ body: String) async -> (body: String, requestID: String) {
            var headers = HTTPHeaders()
            headers.add(name: "X-Amz-Target", value: "AmazonSQS.\(action)")
            let response = await router.respond(
                to: HTTPRequest(head: HTTPRequestHead(version: .http1_1, method: .POST, uri: "/", headers: headers), body: ByteBuffer(string: body)))
            return (String(buffer: response.body), response.headers.first(name: "x-amzn-RequestId") ?? "")
        }
    }

    static func field(_ name: String, in body: String) -> String? {
        body.split(separator: "\"\(name)\":\"").dropFirst().first?.split(separator: "\"").first.map(String.init)
    }

    @Test func aMessagesLifeCanBeFollowedByItsID() async throws {
        let f = try await Fixture(level: .debug)
        await f.call("CreateQueue", #"{"QueueName":"q"}"#)
        let sent = await f.call("SendMessage", #"{"QueueUrl":"q","MessageBody":"hi"}"#)
        let messageID = try #require(Self.field("MessageId", in: sent.body))
        let received = await f.call("ReceiveMessage", #"{"QueueUrl":"q"}"#)
        let handle = try #require(Self.field("ReceiptHandle", in: received.body))
        let changed = await f.call("ChangeMessageVisibility", #"{"QueueUrl":"q","ReceiptHandle":"\#(handle)","VisibilityTimeout":60}"#)
        let deleted = await f.call("DeleteMessage", #"{"QueueUrl":"q","ReceiptHandle":"\#(handle)"}"#)

        let lines = try f.capture.objects().filter { $0["messageId"] == messageID }
        #expect(lines.map { $0["message"] } == ["message sent", "message received", "message visibility changed", "message deleted"])
        #expect(lines.map { $0["requestId"] } == [sent.requestID, received.requestID, changed.requestID, deleted.requestID])
        #expect(lines.allSatisfy { $0["queue"] == "000000000000/us-east-1/q" && $0["level"] == "debug" && $0["logger"] == "sqslite" })
        #expect(lines.map { $0["receiveCount"] } == ["0", "1", "1", "1"])
        #expect(lines[2]["visibilityTimeout"] == "60")
    }

    @Test func batchesLogEveryMessage() async throws {
        let f = try await Fixture(level: .debug)
        await f.call("CreateQueue", #"{"QueueName":"q"}"#)
        let sent = await f.call("SendMessageBatch", #"{"QueueUrl":"q","Entries":[{"Id":"a","MessageBody":"1"},{"Id":"b","MessageBody":"2"}]}"#)
        let lines = try f.capture.objects().filter { $0["message"] == "message sent" }
        #expect(lines.count == 2)
        #expect(lines.allSatisfy { $0["requestId"] == sent.requestID })
        #expect(Set(lines.compactMap { $0["messageId"] }).count == 2)
    }

    @Test func theHotPathIsQuietAtInfoButDeadLetterMovesAreNot() async throws {
        let f = try await Fixture(level: .info)
        await f.call("CreateQueue", #"{"QueueName":"dlq"}"#)
        let policy = #"{\"deadLetterTargetArn\":\"arn:aws:sqs:us-east-1:000000000000:dlq\",\"maxReceiveCount\":\"1\"}"#
        await f.call("CreateQueue", #"{"QueueName":"q","Attributes":{"RedrivePolicy":"\#(policy)","VisibilityTimeout":"0"}}"#)
        let sent = await f.call("SendMessage", #"{"QueueUrl":"q","MessageBody":"hi"}"#)
        let messageID = try #require(Self.field("MessageId", in: sent.body))
        await f.call("ReceiveMessage", #"{"QueueUrl":"q"}"#)
        let second = await f.call("ReceiveMessage", #"{"QueueUrl":"q"}"#)

        let lines = try f.capture.objects()
        #expect(lines.map { $0["message"] } == ["queue created", "queue created", "message moved to dead-letter queue"])
        let moved = try #require(lines.last)
        #expect(moved["messageId"] == messageID)
        #expect(moved["requestId"] == second.requestID)
        #expect(moved["queue"] == "000000000000/us-east-1/q")
        #expect(moved["deadLetterQueue"] == "000000000000/us-east-1/dlq")
        #expect(moved["level"] == "info")
    }

    @Test func retentionExpiryIsLoggedAtDebug() async throws {
        let f = try await Fixture(level: .debug)
        await f.call("CreateQueue", #"{"QueueName":"q","Attributes":{"MessageRetentionPeriod":"60"}}"#)
        let sent = await f.call("SendMessage", #"{"QueueUrl":"q","MessageBody":"hi"}"#)
        let messageID = try #require(Self.field("MessageId", in: sent.body))
        f.clock.advance(seconds: 61)
        await f.engine.sweepExpired()
        let expired = try f.capture.objects().filter { $0["message"] == "message expired" }
        #expect(expired.map { $0["messageId"] } == [messageID])
        #expect(expired.first?["requestId"] == "-")
    }
}
