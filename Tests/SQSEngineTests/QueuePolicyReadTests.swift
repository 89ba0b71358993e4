import Testing

@testable import SQSEngine

/// `policy(of:)` is read outside the engine's actor (every request under `--auth` reads it); it
/// must follow every change of a queue's `Policy` and of the queue's existence, rollbacks included.
@Suite("Queue policy read outside the actor")
struct QueuePolicyReadTests {
    static let policy = #"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"sqs:SendMessage","Resource":"*"}]}"#

    private static func make(_ store: any QueueStore = MemoryQueueStore()) async throws -> QueueEngine {
        let engine = QueueEngine(store: store, clock: ManualClock(start: EngineFixture.start), logger: EngineFixture.logger)
        try await engine.start()
        return engine
    }

    /// What the actor's own state says, to compare with the outside read.
    private static func inside(_ engine: QueueEngine, _ key: QueueKey) async -> String? {
        try? await engine.getQueueAttributes(key, names: ["Policy"])["Policy"]
    }

    @Test func followsCreationAttributesPermissionsAndDeletion() async throws {
        let engine = try await Self.make()
        let withPolicy = try await engine.createQueue(EngineFixture.key("p"), attributes: ["Policy": Self.policy], tags: [:])
        let without = try await engine.createQueue(EngineFixture.key("n"), attributes: [:], tags: [:])
        #expect(engine.policy(of: withPolicy) == Self.policy)
        #expect(engine.policy(of: without) == nil)
        #expect(engine.policy(of: EngineFixture.key("missing")) == nil)

        try await engine.setQueueAttributes(without, attributes: ["Policy": Self.policy])
        #expect(engine.policy(of: without) == Self.policy)
        try await engine.setQueueAttributes(without, attributes: ["Policy": ""])
        #expect(engine.policy(of: without) == nil)
        try await engine.setQueueAttributes(without, attributes: ["VisibilityTimeout": "40"])
        #expect(engine.policy(of: without) == nil)

        try await engine.addPermission(without, label: "grant", accountIDs: ["111122223333"], actions: ["SendMessage"])
        let granted = try #require(engine.policy(of: without))
        #expect(granted.contains("111122223333"))
        #expect(granted == (await Self.inside(engine, without)))
        try await engine.removePermission(without, label: "grant")
        #expect(engine.policy(of: without) == nil)

        try await engine.deleteQueue(withPolicy)
        #expect(engine.policy(of: withPolicy) == nil)
        try await engine.setQueueAttributes(without, attributes: ["Policy": Self.policy])
        _ = try await engine.resetQueue(without)
        #expect(engine.policy(of: without) == nil)
        let again = try await engine.createQueue(EngineFixture.key("n"), attributes: ["Policy": Self.policy], tags: [:])
        #expect(engine.policy(of: again) == Self.policy)
        _ = try await engine.resetAll()
        #expect(engine.policy(of: again) == nil)
    }

    @Test func aFailedCommitRestoresTheStoredPolicy() async throws {
        let store = FaultyQueueStore()
        let engine = try await Self.make(store)
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: ["Policy": Self.policy], tags: [:])
        store.failNextSubmissions()
        await #expect(throws: EngineError.self) { try await engine.setQueueAttributes(key, attributes: ["Policy": ""]) }
        #expect(engine.policy(of: key) == Self.policy, "the change was not stored")
        store.failNextSubmissions()
        await #expect(throws: EngineError.self) { try await engine.deleteQueue(key) }
        #expect(engine.policy(of: key) == Self.policy, "the deletion was not stored")
    }

    @Test func startupReadsThePoliciesStored() async throws {
        let store = MemoryQueueStore()
        let first = try await Self.make(store)
        let key = try await first.createQueue(EngineFixture.key("q"), attributes: ["Policy": Self.policy], tags: [:])
        let second = try await Self.make(store)
        #expect(second.policy(of: key) == Self.policy)
    }
}
