import SQSEngine
import Testing

@testable import SQSStore

@Suite("Parity with MemoryQueueStore")
struct ParityTests {
    /// Builds random, valid change sequences, the way the engine would make them.
    struct ChangeGenerator {
        var random: SplitMix64
        var queues: [Int64: QueueRecord] = [:]
        var messages: [Int64: MessageRecord] = [:]
        var nextQueueID: Int64 = 1
        var nextSequence: Int64 = 1
        var moveTaskIDs: [String] = []

        static let alphabet: [String] = ["a", "Z", "0", " ", "é", "e\u{301}", "世", "🎉", "\u{0}", "\"", "'", "\n"]

        mutating func text(maxLength: Int = 12) -> String {
            (0..<Int.random(in: 0...maxLength, using: &random)).map { _ in Self.alphabet.randomElement(using: &random)! }.joined()
        }

        mutating func timestamp() -> Timestamp { Timestamp(milliseconds: Int64.random(in: -1000...4_000_000_000_000, using: &random)) }

        mutating func optionalTimestamp() -> Timestamp? { Bool.random(using: &random) ? timestamp() : nil }

        mutating func attributes() -> [String: MessageAttributeValue] {
            var map: [String: MessageAttributeValue] = [:]
            for index in 0..<Int.random(in: 0...3, using: &random) {
                let bytes = (0..<Int.random(in: 0...20, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
                map["attr\(index)-\(text(maxLength: 3))"] = MessageAttributeValue(
                    dataType: ["String", "Number", "Binary", "Binary.custom"].randomElement(using: &random)!,
                    stringValue: Bool.random(using: &random) ? text() : nil, binaryValue: Bool.random(using: &random) ? bytes : nil)
            }
            return map
        }

        mutating func stringMap() -> [String: String] {
            var map: [String: String] = [:]
            for _ in 0..<Int.random(in: 0...3, using: &random) { map[text(maxLength: 5)] = text() }
            return map
        }

        mutating func change() -> StoreChange {
            let roll = Int.random(in: 0..<115, using: &random)
            let queueIDs = queues.keys.sorted()
            let sequences = messages.keys.sorted()
            switch roll {
            case 0..<8 where queues.count < 6, 0..<2:
                let id = nextQueueID
                nextQueueID += 1
                let queue = QueueRecord(
                    id: id, key: QueueKey(account: "000000000000", region: "us-east-1", name: "q\(id)-\(text(maxLength: 4))"),
                    attributes: stringMap(), tags: stringMap(), createdAt: timestamp(), modifiedAt: timestamp(), lastPurgedAt: optionalTimestamp())
                queues[id] = queue
                return .saveQueue(queue)
            case 8..<14 where !queueIDs.isEmpty:
                var queue = queues[queueIDs.randomElement(using: &random)!]!
                queue.attributes = stringMap()
                queue.tags = stringMap()
                queue.modifiedAt = timestamp()
                queue.lastPurgedAt = optionalTimestamp()
                queues[queue.id] = queue
                return .saveQueue(queue)
            case 14..<16 where !queueIDs.isEmpty:
                let id = queueIDs.randomElement(using: &random)!
                queues[id] = nil
                let held = messages.values.filter { $0.queueID == id }.map(\.sequence).sorted()
                messages = messages.filter { $0.value.queueID != id }
                return .deleteQueue(queueID: id, sequences: held)
            case 16..<18:
                let id = queueIDs.randomElement(using: &random) ?? 999
                let held = messages.values.filter { $0.queueID == id }.map(\.sequence).sorted()
                messages = messages.filter { $0.value.queueID != id }
                return .purgeMessages(queueID: id, sequences: held)
            case 18..<55 where !queueIDs.isEmpty:
                let sequence = nextSequence
                nextSequence += Int64.random(in: 1...3, using: &random)
                let message = MessageRecord(
                    queueID: queueIDs.randomElement(using: &random)!, sequence: sequence, messageID: text(), body: text(maxLength: 60),
                    attributes: attributes(), systemAttributes: attributes(), md5OfBody: text(),
                    md5OfAttributes: Bool.random(using: &random) ? text() : nil, md5OfSystemAttributes: Bool.random(using: &random) ? text() : nil,
                    senderID: text(), sentAt: timestamp(), visibleAt: timestamp(), receiveCount: Int.random(in: 0...5, using: &random),
                    firstReceivedAt: optionalTimestamp(), lastReceivedAt: optionalTimestamp(), receiptToken: random.next(),
                    messageGroupID: Bool.random(using: &random) ? text() : nil, deduplicationID: Bool.random(using: &random) ? text() : nil,
                    sequenceNumber: Bool.random(using: &random) ? text() : nil, deadLetterSourceArn: Bool.random(using: &random) ? text() : nil)
                messages[sequence] = message
                return .insertMessage(message)
            case 55..<85 where !sequences.isEmpty:
                var message = messages[sequences.randomElement(using: &random)!]!
                message.visibleAt = timestamp()
                message.receiveCount += 1
                message.firstReceivedAt = optionalTimestamp()
                message.lastReceivedAt = optionalTimestamp()
                message.receiptToken = random.next()
                if Bool.random(using: &random) { messages[message.sequence] = message }
                // Also sometimes update a message that was deleted: both stores ignore it.
                return .updateDelivery(MessageDelivery(message))
            case 85..<100 where !sequences.isEmpty:
                let message = messages[sequences.randomElement(using: &random)!]!
                messages[message.sequence] = nil
                return .deleteMessage(queueID: message.queueID, sequence: message.sequence)
            case 100..<106 where !queueIDs.isEmpty:
                // Few scopes and ids, so later saves often replace earlier ones.
                let record = DeduplicationRecord(
                    queueID: queueIDs.randomElement(using: &random)!, scope: ["", "g1", text(maxLength: 2)].randomElement(using: &random)!,
                    deduplicationID: ["d1", "d2", text(maxLength: 3)].randomElement(using: &random)!, messageID: text(),
                    sequenceNumber: text(), expiresAt: Timestamp(milliseconds: 100 * Int64.random(in: 0...10, using: &random)))
                return .saveDeduplication(record)
            case 106..<108:
                // Coarse times, so an id expiring exactly at `before` is common (it must go).
                return .deleteExpiredDeduplications(before: Timestamp(milliseconds: 100 * Int64.random(in: -1...6, using: &random)))
            case 108..<115:
                let id: String
                if moveTaskIDs.isEmpty || Bool.random(using: &random) {
                    id = "task-\(moveTaskIDs.count)-\(text(maxLength: 3))"
                    moveTaskIDs.append(id)
                } else {
                    id = moveTaskIDs.randomElement(using: &random)!
                }
                let statuses: [MoveTaskRecord.Status] = [.running, .completed, .cancelling, .cancelled, .failed]
                return .saveMoveTask(
                    MoveTaskRecord(
                        taskID: id, sourceArn: text(), destinationArn: Bool.random(using: &random) ? text() : nil,
                        maxNumberOfMessagesPerSecond: Bool.random(using: &random) ? Int.random(in: 1...500, using: &random) : nil,
                        status: statuses.randomElement(using: &random)!, startedAt: timestamp(),
                        moved: Int.random(in: 0...1000, using: &random), toMove: Int.random(in: 0...1000, using: &random),
                        failureReason: Bool.random(using: &random) ? text() : nil))
            default:
                return .deleteMessage(queueID: queueIDs.first ?? 1, sequence: 123_456_789)
            }
        }
    }

    @Test("random change sequences leave both stores in the same state", arguments: [UInt64(1), 2, 3, 0xDEAD_BEEF])
    func randomSequences(seed: UInt64) async throws {
        let memory = MemoryQueueStore()
        let sqlite = try SQLiteQueueStore(path: nil, logger: StoreFixtures.logger)
        var generator = ChangeGenerator(random: SplitMix64(seed: seed))
        var sawDeduplications = false
        for round in 0..<20 {
            // Submit a burst without waiting, so several submissions share transactions.
            var waits: [Task<Void, any Error>] = []
            for _ in 0..<Int.random(in: 1...30, using: &generator.random) {
                let changes = (0..<Int.random(in: 0...6, using: &generator.random)).map { _ in generator.change() }
                memory.submit(changes) { _ in }
                let outcome = AsyncThrowingStream<Void, any Error>.makeStream()
                sqlite.submit(changes) { result in
                    outcome.continuation.yield(with: result)
                    outcome.continuation.finish()
                }
                waits.append(Task { for try await _ in outcome.stream {} })
            }
            for wait in waits { try await wait.value }
            let expected = try await memory.load()
            let actual = try await sqlite.load()
            expectEqual(actual, expected)
            sawDeduplications = sawDeduplications || !actual.deduplications.isEmpty
            if actual.messages != expected.messages || actual.moveTasks != expected.moveTasks
                || sortedDeduplications(actual) != sortedDeduplications(expected)
            {
                Issue.record("diverged at round \(round) for seed \(seed)")
                break
            }
        }
        let final = try await sqlite.load()
        #expect(!final.messages.isEmpty || !final.queues.isEmpty)
        #expect(!final.moveTasks.isEmpty)
        #expect(sawDeduplications)
        try await sqlite.close()
    }
}
