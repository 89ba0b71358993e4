import Logging
import SQSEngine
import SQSLambda
import Synchronization
import Testing

/// An engine on a manual clock, a mapping manager running its pollers, and helpers to wait for
/// invocations without sleeping on wall time more than a bounded poll.
final class MappingFixture: Sendable {
    static let account = "000000000000"
    static let region = "us-east-1"
    let clock = ManualClock()
    let engine: QueueEngine
    let functions = FunctionRegistry()
    let log = InvocationLog()
    let store = MemoryMappingStore()
    let manager: EventSourceMappingManager
    let invoker: FunctionInvoker
    let runner: Mutex<Task<Void, Never>?> = Mutex(nil)

    init() async throws {
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        engine = QueueEngine(store: MemoryQueueStore(), clock: clock, logger: logger)
        try await engine.start()
        let invoker = FunctionInvoker(functions: functions, log: log, account: Self.account, region: Self.region, clock: clock, logger: logger)
        self.invoker = invoker
        manager = EventSourceMappingManager(engine: engine, invoker: invoker, store: store, clock: clock, logger: logger)
        try await manager.load()
        let manager = self.manager
        runner.withLock { $0 = Task { try? await manager.run() } }
    }

    func stop() async {
        let task = runner.withLock { $0 }
        task?.cancel()
        await task?.value
    }

    func key(_ name: String) -> QueueKey { QueueKey(account: Self.account, region: Self.region, name: name) }

    func arn(_ name: String) -> String { key(name).arn }

    @discardableResult
    func createQueue(_ name: String, _ attributes: [String: String] = [:]) async throws -> QueueKey {
        try await engine.createQueue(key(name), attributes: attributes, tags: [:])
    }

    @discardableResult
    func send(_ name: String, _ body: String, group: String? = nil) async throws -> String {
        let input = SendMessageInput(body: body, messageGroupID: group, deduplicationID: group == nil ? nil : body)
        return try await engine.sendMessage(key(name), input, senderID: "test").messageID
    }

    /// Counts (visible, in flight, delayed) of a queue.
    func counts(_ name: String) async throws -> [String] {
        let attributes = try await engine.getQueueAttributes(
            key(name), names: ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"])
        return [attributes["ApproximateNumberOfMessages"]!, attributes["ApproximateNumberOfMessagesNotVisible"]!, attributes["ApproximateNumberOfMessagesDelayed"]!]
    }

    /// Waits (bounded, 10 s of wall time) until `condition` holds.
    func eventually(_ what: String, _ condition: () async throws -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<2000 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(5))
        }
        Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
        throw CancellationError()
    }

    /// Waits until `count` invocations are recorded.
    func invocations(_ count: Int, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [InvocationRecord] {
        try await eventually("\(count) invocations", { log.recent().count >= count }, sourceLocation: sourceLocation)
        return log.recent().reversed()
    }
}

/// Events an in-process handler saw, in order.
final class SeenEvents: Sendable {
    private let events = Mutex<[SQSEvent]>([])
    func append(_ event: SQSEvent) { events.withLock { $0.append(event) } }
    var all: [SQSEvent] { events.withLock { $0 } }
    var bodies: [String] { all.flatMap { $0.records.map(\.body) } }
}
