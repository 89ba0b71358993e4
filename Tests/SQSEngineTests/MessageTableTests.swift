import FoundationEssentials
import Testing

@testable import SQSEngine

/// ``MessageTable`` against a `Dictionary` doing the same random inserts, updates and removals.
struct MessageTableTests {
    private static func message(_ sequence: Int64, receiveCount: Int = 0) -> MessageMetadata {
        MessageMetadata(
            queueID: 1, sequence: sequence, messageID: MessageMetadata.nilID, sentAt: Timestamp(milliseconds: sequence),
            visibleAt: Timestamp(milliseconds: sequence), receiveCount: receiveCount)
    }

    @Test func behavesLikeADictionaryInSendOrder() {
        var generator = SplitMix64(seed: 3)
        var table = MessageTable()
        var reference: [Int64: MessageMetadata] = [:]
        var next: Int64 = 1
        for step in 0..<20_000 {
            switch Int.random(in: 0..<10, using: &generator) {
            case 0..<4:
                // Mostly appends; sometimes an older sequence (placed by a binary search).
                let sequence = Int.random(in: 0..<20, using: &generator) == 0 ? Int64.random(in: 1...next, using: &generator) : next
                if sequence == next { next += 1 }
                let message = Self.message(sequence)
                #expect(table.updateValue(message, forKey: sequence) == reference.updateValue(message, forKey: sequence), "step \(step)")
            case 4..<6:
                if let key = reference.keys.randomElement(using: &generator) {
                    let message = Self.message(key, receiveCount: step)
                    #expect(table.updateValue(message, forKey: key) == reference.updateValue(message, forKey: key))
                }
            default:
                let key = Int64.random(in: 1...next, using: &generator)
                #expect(table.removeValue(forKey: key) == reference.removeValue(forKey: key), "step \(step)")
            }
            #expect(table.count == reference.count)
        }
        #expect(Array(table.values) == reference.values.sorted { $0.sequence < $1.sequence })
        for key in 1...next { #expect(table[key] == reference[key]) }
        table.removeAll()
        #expect(table.isEmpty && Array(table.values).isEmpty)
    }
}

/// The MessageId parser used when loading metadata agrees with Foundation's.
struct MessageIDParsingTests {
    @Test func parsesAsFoundationDoes() {
        for _ in 0..<1_000 {
            let id = UUID()
            #expect(MessageMetadata.parseID(id.uuidString.lowercased()) == id)
            #expect(MessageMetadata.parseID(id.uuidString) == id)
        }
        for text in ["", "not-a-uuid", "0000000-0000-4000-8000-0000000000000", "g0000000-0000-4000-8000-000000000000", "00000000+0000-4000-8000-000000000000"] {
            #expect(MessageMetadata.parseID(text) == (UUID(uuidString: text) ?? MessageMetadata.nilID))
        }
        // Every position replaced by the characters around the digit and letter ranges, and a
        // non-ASCII byte: a hex digit where one belongs (and `-` where it belongs) parses as
        // Foundation parses it; anything else is the nil UUID (Foundation is more lenient there).
        let base = Array("0123abcd-ABCD-4ef0-8f9F-aAbBcCdDeEfF".utf8)
        let dashes: Set<Int> = [8, 13, 18, 23]
        for position in base.indices {
            for replacement in Array("/09:@AFG`afg-{".utf8) + [0xC3] {
                var bytes = base
                bytes[position] = replacement
                let text = String(decoding: bytes, as: UTF8.self)
                let isHex = (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(replacement)
                    || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(replacement | 0x20) && replacement != UInt8(ascii: "`") && replacement != UInt8(ascii: "@")
                let valid = dashes.contains(position) ? replacement == UInt8(ascii: "-") : isHex
                let expected = valid ? UUID(uuidString: text) ?? MessageMetadata.nilID : MessageMetadata.nilID
                #expect(MessageMetadata.parseID(text) == expected, "\(text)")
            }
        }
    }
}

/// The resident metadata stays compact (a million messages keep a million entries in memory),
/// and its compact storage round-trips every value the engine sets.
struct MessageMetadataLayoutTests {
    @Test func entryIsAtMost104Bytes() {
        #expect(MemoryLayout<MessageMetadata>.stride <= 104)
    }

    @Test func optionalTimesAndCountsRoundTrip() {
        var metadata = MessageMetadata(
            queueID: 7, sequence: 1, messageID: UUID(), sentAt: Timestamp(milliseconds: 5), visibleAt: Timestamp(milliseconds: 5))
        #expect(metadata.firstReceivedAt == nil && metadata.lastReceivedAt == nil && metadata.receiveCount == 0 && metadata.queueID == 7)
        metadata.firstReceivedAt = Timestamp(milliseconds: 0)
        metadata.lastReceivedAt = Timestamp(milliseconds: 1_700_000_000_000)
        metadata.receiveCount = 1_000
        #expect(metadata.firstReceivedAt == Timestamp(milliseconds: 0))
        #expect(metadata.lastReceivedAt == Timestamp(milliseconds: 1_700_000_000_000))
        #expect(metadata.receiveCount == 1_000)
        metadata.lastReceivedAt = nil
        #expect(metadata.lastReceivedAt == nil)
    }
}
