import SQSEngine
import Testing

@testable import SQSStore

@Suite("AttributeCoding")
struct AttributeCodingTests {
    @Test("string maps round-trip; an empty map is nil")
    func strings() throws {
        #expect(AttributeCoding.encode([String: String]()) == nil)
        let map = ["a": "", "": "b", "Ω≈ç√": "🎉\u{0}x", String(repeating: "k", count: 300): String(repeating: "v", count: 70_000)]
        let bytes = try #require(AttributeCoding.encode(map))
        let decoded = try bytes.withUnsafeBytes { try AttributeCoding.decodeStrings($0, column: "test") }
        #expect(decoded == map)
    }

    @Test("attribute maps round-trip every combination of values")
    func attributes() throws {
        let map: [String: MessageAttributeValue] = [
            "none": MessageAttributeValue(dataType: "String"),
            "string": .string("x"),
            "emptyString": .string(""),
            "binary": .binary([0, 255]),
            "emptyBinary": .binary([]),
            "both": MessageAttributeValue(dataType: "Binary.t", stringValue: "s", binaryValue: [1]),
        ]
        let bytes = try #require(AttributeCoding.encode(map))
        let decoded = try bytes.withUnsafeBytes { try AttributeCoding.decodeAttributes($0, column: "test") }
        #expect(decoded == map)
    }

    @Test("truncated or trailing data is reported as corrupt")
    func corrupt() throws {
        let bytes = try #require(AttributeCoding.encode(["key": "value"]))
        for length in 1..<bytes.count {
            #expect(throws: SQLiteStoreError.self) {
                try Array(bytes.prefix(length)).withUnsafeBytes { try AttributeCoding.decodeStrings($0, column: "test") }
            }
        }
        #expect(throws: SQLiteStoreError.self) {
            try (bytes + [0]).withUnsafeBytes { try AttributeCoding.decodeStrings($0, column: "test") }
        }
        #expect(throws: SQLiteStoreError.self) {
            try ([9] + bytes.dropFirst()).withUnsafeBytes { try AttributeCoding.decodeStrings($0, column: "test") }
        }
    }
}
