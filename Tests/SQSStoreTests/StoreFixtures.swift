import FoundationEssentials
import Logging
import SQSEngine
import Testing

@testable import SQSStore

/// Builders and helpers shared by the store tests.
enum StoreFixtures {
    /// A logger that drops everything (the failure tests log warnings on purpose).
    static let logger = Logger(label: "sqslite.store.tests") { _ in SwiftLogNoOpLogHandler() }

    /// A queue record with distinct values in every field.
    static func queue(
        id: Int64, name: String? = nil, attributes: [String: String] = ["VisibilityTimeout": "30"],
        tags: [String: String] = [:], lastPurgedAt: Timestamp? = nil
    ) -> QueueRecord {
        QueueRecord(
            id: id, key: QueueKey(account: "000000000000", region: "us-east-1", name: name ?? "queue-\(id)"),
            attributes: attributes, tags: tags,
            createdAt: Timestamp(milliseconds: 1_700_000_000_000 + id), modifiedAt: Timestamp(milliseconds: 1_700_000_000_500 + id),
            lastPurgedAt: lastPurgedAt)
    }

    /// A fresh message with only the required fields set.
    static func message(queueID: Int64, sequence: Int64, body: String? = nil) -> MessageRecord {
        MessageRecord(
            queueID: queueID, sequence: sequence, messageID: "00000000-0000-4000-8000-\(String(sequence, radix: 16))",
            body: body ?? "body \(sequence)", attributes: [:], systemAttributes: [:],
            md5OfBody: "d41d8cd98f00b204e9800998ecf8427e", md5OfAttributes: nil, md5OfSystemAttributes: nil,
            senderID: "AIDAEXAMPLE", sentAt: Timestamp(milliseconds: 1_700_000_001_000 + sequence),
            visibleAt: Timestamp(milliseconds: 1_700_000_001_000 + sequence))
    }

    /// A message with every optional field set, Unicode text and binary attributes.
    static func fullMessage(queueID: Int64, sequence: Int64) -> MessageRecord {
        var message = message(queueID: queueID, sequence: sequence, body: "héllo 世界 🎉 \u{0} e\u{301} \u{10FFFF}")
        message.attributes = [
            "Greeting": .string("¡Hola! ✨"),
            "Count": .number("-12.5e3"),
            "Blob": .binary([0, 1, 2, 0xFF, 0xFE, 0, 0x80]),
            "EmptyBlob": .binary([]),
            "Custom": MessageAttributeValue(dataType: "Binary.png", binaryValue: Array(0...255)),
            "Both": MessageAttributeValue(dataType: "String.x", stringValue: "", binaryValue: [7]),
            "键": .string("值"),
        ]
        message.systemAttributes = ["AWSTraceHeader": .string("Root=1-5759e988-bd862e3fe1be46a994272793")]
        message.md5OfAttributes = "0123456789abcdef0123456789abcdef"
        message.md5OfSystemAttributes = "fedcba9876543210fedcba9876543210"
        message.receiveCount = 3
        message.firstReceivedAt = Timestamp(milliseconds: 1_700_000_002_000)
        message.lastReceivedAt = Timestamp(milliseconds: 1_700_000_003_000)
        message.receiptToken = UInt64.max - 41  // the high bit set: stored as a negative Int64
        message.messageGroupID = "group-Ω"
        message.deduplicationID = "dedup-1"
        message.sequenceNumber = "18849496460467696128"
        message.deadLetterSourceArn = "arn:aws:sqs:us-east-1:000000000000:source"
        return message
    }

    /// A new empty temporary directory; `body` runs with it and it is removed afterwards.
    static func withTemporaryDirectory<R>(_ body: (String) async throws -> R) async throws -> R {
        let directory = FileManager.default.temporaryDirectory.path + "/sqslite-store-tests-\(UInt64.random(in: 0...UInt64.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        return try await body(directory)
    }
}

extension QueueStore {
    /// Submits and returns the result instead of throwing.
    func result(of changes: [StoreChange]) async -> Result<Void, any Error> {
        await withCheckedContinuation { continuation in
            submit(changes) { continuation.resume(returning: $0) }
        }
    }
}

/// The snapshot's deduplication ids in (queue, scope, id) order: their order is not part of the contract.
func sortedDeduplications(_ snapshot: StoreSnapshot) -> [DeduplicationRecord] {
    snapshot.deduplications.sorted {
        ($0.queueID, $0.scope, $0.deduplicationID) < ($1.queueID, $1.scope, $1.deduplicationID)
    }
}

/// Checks that two snapshots hold the same queues, messages, high-water marks, deduplication ids
/// (in any order) and move tasks (in order).
func expectEqual(_ actual: StoreSnapshot, _ expected: StoreSnapshot, sourceLocation: SourceLocation = #_sourceLocation) {
    #expect(actual.queues == expected.queues, sourceLocation: sourceLocation)
    #expect(actual.messages.count == expected.messages.count, sourceLocation: sourceLocation)
    #expect(actual.messages == expected.messages, sourceLocation: sourceLocation)
    #expect(actual.highestQueueID == expected.highestQueueID, sourceLocation: sourceLocation)
    // SQLite saves the sequence mark ahead by a block; the memory store keeps it exact.
    #expect(
        (expected.highestSequence...expected.highestSequence + StoreWriter.sequenceReservation).contains(actual.highestSequence),
        sourceLocation: sourceLocation)
    #expect(sortedDeduplications(actual) == sortedDeduplications(expected), sourceLocation: sourceLocation)
    #expect(actual.moveTasks == expected.moveTasks, sourceLocation: sourceLocation)
}
