import FoundationEssentials
import Testing

@testable import SQSEngine

/// Message, request and task ids are lower-case version-4 UUIDs that Foundation parses back.
struct RandomIDTests {
    @Test func idsAreLowerCaseVersion4UUIDs() {
        var seen = Set<String>()
        for _ in 0..<10_000 {
            let id = RandomID.uuidString()
            #expect(UUID(uuidString: id)?.uuidString.lowercased() == id)
            let characters = Array(id)
            #expect(characters.count == 36 && characters[14] == "4" && "89ab".contains(characters[19]))
            #expect(id == id.lowercased())
            seen.insert(id)
        }
        #expect(seen.count == 10_000)
    }

    /// The bytes a message id is kept as are the ones its text spells.
    @Test func bytesMatchTheText() {
        for _ in 0..<10_000 {
            let (bytes, text) = RandomID.uuid()
            #expect(UUID(uuidString: text) == bytes)
            #expect(MessageMetadata.parseID(text) == bytes)
            #expect(text == text.lowercased() && Array(text)[14] == "4")
        }
    }

    @Test func bitsComeFromTheGeneratorInOrder() {
        struct Fixed: RandomNumberGenerator {
            var values: [UInt64] = [0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210]
            mutating func next() -> UInt64 { values.removeFirst() }
        }
        var generator = Fixed()
        #expect(RandomID.uuidString(using: &generator) == "01234567-89ab-4def-bedc-ba9876543210")
    }

    /// The pool refills (2 KiB at a time) and hands each word out once, whatever the concurrency.
    @Test func pooledWordsAreNotRepeatedAcrossRefillsAndTasks() async {
        let words = await withTaskGroup(of: [UInt64].self) { group in
            for _ in 0..<8 {
                group.addTask { (0..<2_000).map { _ in RandomBytePool.shared.next() } }
            }
            return await group.reduce(into: [UInt64]()) { $0 += $1 }
        }
        #expect(words.count == 16_000)
        #expect(Set(words).count == 16_000)
        // Each bit position is set in about half the words (a stuck or zeroed buffer would not be).
        for bit in 0..<64 {
            let ones = words.count { $0 & (1 << UInt64(bit)) != 0 }
            #expect((7_000...9_000).contains(ones), "bit \(bit) set in \(ones) of 16,000 words")
        }
    }
}
