import Logging
import SQSEngine
import SQSLogs
import Testing

@testable import SQSServer

/// The queue log groups' names, their daily streams, and the config file's `logs` key.
@Suite("Queue logs")
struct QueueLogHandlerTests {
    static func handler() throws -> QueueLogHandler {
        QueueLogHandler(
            store: try LogStore(path: nil, logger: Logger(label: "test")), queues: nil, account: "000000000000", region: "us-east-1")
    }

    @Test("a queue's group: short in the default account and region, qualified elsewhere")
    func groupNames() throws {
        let handler = try Self.handler()
        #expect(handler.groupName("000000000000/us-east-1/orders.fifo") == "/sqslite/orders.fifo")
        #expect(handler.groupName("111111111111/us-east-1/orders") == "/sqslite/111111111111/us-east-1/orders")
        #expect(handler.groupName("000000000000/eu-west-1/orders") == "/sqslite/000000000000/eu-west-1/orders")
        #expect(handler.groupName("not a queue") == nil)
    }

    @Test("the daily stream is the UTC date", arguments: [
        (Int64(0), "1970/01/01"), (951_782_400_000, "2000/02/29"), (951_868_799_999, "2000/02/29"), (951_868_800_000, "2000/03/01"),
        (1_709_251_199_999, "2024/02/29"), (4_102_444_800_000, "2100/01/01"), (-1, "1969/12/31"),
    ])
    func days(milliseconds: Int64, day: String) {
        #expect(QueueLogHandler.day(milliseconds) == day)
    }

    @Test("`logs: true` on a queue of the config file, and a wrong value named at its line")
    func configKey() throws {
        let config = try ConfigFile.parse("queues:\n  - name: a\n    logs: true\n  - name: b\n", path: "c.yaml")
        #expect(config.queues.map(\.logs) == [true, false])
        #expect(throws: ConfigFileError.self) { try ConfigFile.parse("queues:\n  - name: a\n    logs: sometimes\n", path: "c.yaml") }
        do {
            _ = try ConfigFile.parse("queues:\n  - name: a\n    logs: sometimes\n", path: "c.yaml")
        } catch {
            #expect(error.description == "c.yaml:3: queues[0].logs: expected true or false")
        }
    }
}
