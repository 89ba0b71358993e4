import Logging
import SQSEngine
import Testing

@testable import SQSStore

/// The engine over the real SQLite store, with many requests at once: what the file holds after
/// close is exactly what the engine believed, and a full disk never leaves the two apart.
struct EngineOverSQLiteTests {
    private static let sender = "AIDAEXAMPLESENDER"

    private static func key(_ name: String) -> QueueKey {
        QueueKey(account: "000000000000", region: "us-east-1", name: name)
    }

    @Test func interleavedRequestsLeaveTheFileEqualToTheEngine() async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let path = directory + "/sqslite.db"
            let store = try SQLiteQueueStore(path: path, logger: StoreFixtures.logger)
            let clock = ManualClock(start: Timestamp(seconds: 1_704_067_200))
            let engine = QueueEngine(
                store: store, clock: clock, configuration: EngineConfiguration(deletedQueueCooldown: 0), logger: StoreFixtures.logger)
            try await engine.start()
            let main = try await engine.createQueue(Self.key("main"), attributes: [:], tags: [:])
            let churn = try await engine.createQueue(Self.key("churn"), attributes: [:], tags: [:])
            await withTaskGroup(of: Void.self) { group in
                for producer in 0..<6 {
                    group.addTask {
                        for index in 0..<60 {
                            let body = "p\(producer)-\(index)"
                            if index % 3 == 0 {
                                _ = try? await engine.sendMessageBatch(
                                    main, (0..<5).map { BatchEntry(id: "e\($0)", value: SendMessageInput(body: body + "-\($0)")) },
                                    senderID: Self.sender)
                            } else {
                                _ = try? await engine.sendMessage(main, SendMessageInput(body: body), senderID: Self.sender)
                            }
                            _ = try? await engine.sendMessage(churn, SendMessageInput(body: body), senderID: Self.sender)
                        }
                    }
                }
                for consumer in 0..<6 {
                    group.addTask {
                        for round in 0..<80 {
                            let received = (try? await engine.receiveMessage(
                                main, ReceiveMessageInput(maxNumberOfMessages: 10, visibilityTimeout: round % 2 == 0 ? 0 : 30, waitTimeSeconds: 0))) ?? []
                            for (index, message) in received.enumerated() {
                                if (index + consumer) % 3 == 0 {
                                    _ = try? await engine.changeMessageVisibility(main, receiptHandle: message.receiptHandle, visibilityTimeout: 0)
                                } else {
                                    _ = try? await engine.deleteMessage(main, receiptHandle: message.receiptHandle)
                                }
                            }
                        }
                    }
                }
                group.addTask {
                    for round in 0..<20 {
                        if round % 5 == 4 {
                            _ = try? await engine.deleteQueue(churn)
                            _ = try? await engine.createQueue(churn, attributes: [:], tags: [:])
                        } else {
                            _ = try? await engine.purgeQueue(churn)
                        }
                        await Task.yield()
                    }
                }
            }
            let believed = await engine.workingSnapshot()
            try await store.close()
            let reopened = try SQLiteQueueStore(path: path, logger: StoreFixtures.logger)
            let stored = try await reopened.loadWorkingSet()
            try await reopened.close()
            #expect(stored.queues == believed.queues)
            #expect(stored.messages.count == believed.messages.count)
            #expect(stored.messages == believed.messages)
            #expect(!stored.messages.isEmpty)
        }
    }

    @Test func aFullDiskNeverLeavesAnAcknowledgedChangeUnsaved() async throws {
        try await StoreFixtures.withTemporaryDirectory { directory in
            let path = directory + "/sqslite.db"
            let store = try SQLiteQueueStore(path: path, logger: StoreFixtures.logger)
            let clock = ManualClock(start: Timestamp(seconds: 1_704_067_200))
            let engine = QueueEngine(store: store, clock: clock, logger: StoreFixtures.logger)
            try await engine.start()
            let key = try await engine.createQueue(Self.key("q"), attributes: [:], tags: [:])
            _ = try await engine.sendMessage(key, SendMessageInput(body: "before"), senderID: Self.sender)
            try await store.limitSize(extraPages: 8)
            let body = String(repeating: "x", count: 4000)
            var acknowledged: [String] = []
            var failures = 0
            for index in 0..<200 {
                do {
                    _ = try await engine.sendMessage(key, SendMessageInput(body: "\(index) \(body)"), senderID: Self.sender)
                    acknowledged.append("\(index)")
                } catch {
                    failures += 1
                }
            }
            #expect(failures > 0)
            // A receive while full: it fails or it is true; either way nothing stays hidden by a failure.
            let received = try? await engine.receiveMessage(key, ReceiveMessageInput(maxNumberOfMessages: 10, visibilityTimeout: 600))
            let believed = await engine.workingSnapshot()
            #expect(try await store.loadWorkingSet().messages == believed.messages)
            let storedSends = Set(try await store.load().messages.map { String($0.body.prefix { $0 != " " }) })
            #expect(storedSends == Set(acknowledged + ["before"]))
            // Space returns: writes work again, and the file agrees with the engine after a reopen.
            try await store.limitSize(extraPages: 1_000_000)
            _ = try await engine.sendMessage(key, SendMessageInput(body: "after"), senderID: Self.sender)
            if let handle = received?.first?.receiptHandle {
                try await engine.deleteMessage(key, receiptHandle: handle)
            }
            let final = await engine.workingSnapshot()
            try await store.close()
            let reopened = try SQLiteQueueStore(path: path, logger: StoreFixtures.logger)
            #expect(try await reopened.loadWorkingSet().messages == final.messages)
            try await reopened.close()
        }
    }
}
