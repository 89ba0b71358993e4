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

    @Test func bitsComeFromTheGeneratorInOrder() {
        struct Fixed: RandomNumberGenerator {
            var values: [UInt64] = [0x0123_4567_89AB_CDEF, 0xFEDC_BA98_7654_3210]
            mutating func next() -> UInt64 { values.removeFirst() }
        }
        var generator = Fixed()
        #expect(RandomID.uuidString(using: &generator) == "01234567-89ab-4def-bedc-ba9876543210")
    }
}
