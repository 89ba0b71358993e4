import Logging
import Testing

@testable import SQSEngine

/// An engine over a ``MemoryQueueStore`` driven by a ``ManualClock``, plus shortcuts the engine tests share.
struct EngineFixture {
    /// 2024-01-01T00:00:00Z, where every fixture clock starts.
    static let start = Timestamp(seconds: 1_704_067_200)
    static let account = "000000000000"
    static let region = "us-east-1"
    static let sender = "AIDAEXAMPLESENDER"
    static let logger = Logger(label: "sqslite.engine.tests") { _ in SwiftLogNoOpLogHandler() }

    let store: MemoryQueueStore
    let clock: ManualClock
    let engine: QueueEngine

    /// Starts a new engine on `store` (a fresh one by default), reading time from `clock`.
    static func make(
        store: MemoryQueueStore = MemoryQueueStore(), clock: ManualClock = ManualClock(start: start),
        configuration: EngineConfiguration = .init()
    ) async throws -> EngineFixture {
        let engine = QueueEngine(store: store, clock: clock, configuration: configuration, logger: logger)
        try await engine.start()
        return EngineFixture(store: store, clock: clock, engine: engine)
    }

    /// A second engine started on the same store and clock, as after a restart.
    func restarted() async throws -> EngineFixture {
        try await Self.make(store: store, clock: clock)
    }

    static func key(_ name: String, account: String = account, region: String = region) -> QueueKey {
        QueueKey(account: account, region: region, name: name)
    }

    /// Creates a standard queue named `name` with `attributes`.
    @discardableResult
    func createQueue(_ name: String, _ attributes: [String: String] = [:], tags: [String: String] = [:]) async throws -> QueueKey {
        try await engine.createQueue(Self.key(name), attributes: attributes, tags: tags)
    }

    @discardableResult
    func send(_ key: QueueKey, _ body: String, delaySeconds: Int? = nil) async throws -> SendMessageResult {
        try await engine.sendMessage(key, SendMessageInput(body: body, delaySeconds: delaySeconds), senderID: Self.sender)
    }

    /// A short-poll receive (wait time 0 unless given).
    func receive(_ key: QueueKey, max: Int = 10, visibilityTimeout: Int? = nil, wait: Int = 0) async throws -> [ReceivedMessage] {
        try await engine.receiveMessage(
            key, ReceiveMessageInput(maxNumberOfMessages: max, visibilityTimeout: visibilityTimeout, waitTimeSeconds: wait))
    }

    /// The three approximate counts, in the order visible, not visible, delayed.
    func counts(_ key: QueueKey) async throws -> [Int] {
        let names = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible", "ApproximateNumberOfMessagesDelayed"]
        let attributes = try await engine.getQueueAttributes(key, names: names)
        return names.map { Int(attributes[$0] ?? "-1") ?? -1 }
    }

    /// The messages the store holds for every queue, by body.
    func storedBodies() async throws -> [String] {
        try await store.load().messages.map(\.body).sorted()
    }

    /// Waits (yielding, never sleeping) until `count` receives are parked in a long poll.
    func waitForWaiters(_ count: Int, sourceLocation: SourceLocation = #_sourceLocation) async {
        for _ in 0..<100_000 {
            if await engine.waitingReceiveCount == count { return }
            await Task.yield()
        }
        Issue.record("waitingReceiveCount never reached \(count)", sourceLocation: sourceLocation)
    }

    /// Waits (yielding, never sleeping) until `condition` holds.
    func waitUntil(_ what: String, sourceLocation: SourceLocation = #_sourceLocation, _ condition: () async throws -> Bool) async rethrows {
        for _ in 0..<100_000 {
            if try await condition() { return }
            await Task.yield()
        }
        Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
    }
}

extension BatchOutcome {
    /// The failure, or `nil` on success.
    var error: EngineError? {
        if case .failure(let error) = result { return error }
        return nil
    }
}
