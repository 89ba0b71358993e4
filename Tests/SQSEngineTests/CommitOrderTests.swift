import Testing

@testable import SQSEngine

/// The engine submits changes in the order it applied them, even when many requests run at once:
/// a message's delivery update or delete never reaches the store before its insert.
struct CommitOrderTests {
    @Test func concurrentRequestsReachTheStoreInTheEngineOrder() async throws {
        let store = FaultyQueueStore()
        let clock = ManualClock(start: EngineFixture.start)
        let engine = QueueEngine(store: store, clock: clock, logger: EngineFixture.logger)
        try await engine.start()
        let key = try await engine.createQueue(EngineFixture.key("q"), attributes: [:], tags: [:])
        await withTaskGroup(of: Void.self) { group in
            for producer in 0..<8 {
                group.addTask {
                    for index in 0..<50 {
                        _ = try? await engine.sendMessage(key, SendMessageInput(body: "p\(producer)-\(index)"), senderID: EngineFixture.sender)
                    }
                }
            }
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<60 {
                        let received = (try? await engine.receiveMessage(
                            key, ReceiveMessageInput(maxNumberOfMessages: 10, visibilityTimeout: 0, waitTimeSeconds: 0))) ?? []
                        for message in received {
                            _ = try? await engine.deleteMessage(key, receiptHandle: message.receiptHandle)
                        }
                    }
                }
            }
        }
        var inserted: Set<Int64> = []
        var deleted: Set<Int64> = []
        for change in store.appliedSubmissions.joined() {
            switch change {
            case .insertMessage(let message):
                inserted.insert(message.sequence)
            case .updateDelivery(let delivery):
                let afterInsert = inserted.contains(delivery.sequence)
                let beforeDelete = !deleted.contains(delivery.sequence)
                #expect(afterInsert, "delivery of \(delivery.sequence) submitted before its insert")
                #expect(beforeDelete, "delivery of \(delivery.sequence) submitted after its delete")
            case .deleteMessage(_, let sequence):
                let afterInsert = inserted.contains(sequence)
                #expect(afterInsert, "delete of \(sequence) submitted before its insert")
                deleted.insert(sequence)
            default:
                break
            }
        }
        #expect(inserted.count == 400)
        #expect(!deleted.isEmpty)
    }
}
