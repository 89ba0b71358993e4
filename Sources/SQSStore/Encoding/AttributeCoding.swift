import SQSEngine

/// The compact binary encoding of attribute and tag maps stored in BLOB columns.
///
/// Layout (all lengths and counts are unsigned LEB128 varints):
/// - a format byte (`1`), then the entry count;
/// - a `[String: String]` entry: key length, key UTF-8, value length, value UTF-8;
/// - a `[String: MessageAttributeValue]` entry: key, data type (as above), a flags byte
///   (bit 0: string value present, bit 1: binary value present), then the string value and the
///   binary value (length + raw bytes) when present.
///
/// Strings are stored as their exact UTF-8 bytes and binary values as raw bytes, so any Unicode
/// and any bytes round-trip. An empty map is encoded as `nil` (a NULL column).
enum AttributeCoding {
    private static let formatVersion: UInt8 = 1
    private static let hasString: UInt8 = 1
    private static let hasBinary: UInt8 = 2

    // MARK: Encoding

    /// Encodes a string map; `nil` when the map is empty.
    static func encode(_ map: [String: String]) -> [UInt8]? {
        if map.isEmpty { return nil }
        var size = 1 + varintSize(map.count)
        for (key, value) in map {
            size += stringSize(key) + stringSize(value)
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        bytes.append(formatVersion)
        appendVarint(map.count, to: &bytes)
        for (key, value) in map {
            appendString(key, to: &bytes)
            appendString(value, to: &bytes)
        }
        return bytes
    }

    /// Encodes a message attribute map; `nil` when the map is empty.
    static func encode(_ map: [String: MessageAttributeValue]) -> [UInt8]? {
        if map.isEmpty { return nil }
        var size = 1 + varintSize(map.count)
        for (key, value) in map {
            size += stringSize(key) + stringSize(value.dataType) + 1
            if let string = value.stringValue { size += stringSize(string) }
            if let binary = value.binaryValue { size += varintSize(binary.count) + binary.count }
        }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(size)
        bytes.append(formatVersion)
        appendVarint(map.count, to: &bytes)
        for (key, value) in map {
            appendString(key, to: &bytes)
            appendString(value.dataType, to: &bytes)
            var flags: UInt8 = 0
            if value.stringValue != nil { flags |= hasString }
            if value.binaryValue != nil { flags |= hasBinary }
            bytes.append(flags)
            if let string = value.stringValue { appendString(string, to: &bytes) }
            if let binary = value.binaryValue {
                appendVarint(binary.count, to: &bytes)
                bytes.append(contentsOf: binary)
            }
        }
        return bytes
    }

    // MARK: Decoding

    /// Decodes a string map; an empty buffer (a NULL column) is an empty map.
    static func decodeStrings(_ buffer: UnsafeRawBufferPointer, column: String) throws(SQLiteStoreError) -> [String: String] {
        if buffer.isEmpty { return [:] }
        var reader = Reader(buffer: buffer, column: column)
        let count = try reader.header()
        var map = Dictionary<String, String>(minimumCapacity: count)
        for _ in 0..<count {
            let key = try reader.string()
            map[key] = try reader.string()
        }
        try reader.finish()
        return map
    }

    /// Decodes a message attribute map; an empty buffer (a NULL column) is an empty map.
    static func decodeAttributes(
        _ buffer: UnsafeRawBufferPointer, column: String
    ) throws(SQLiteStoreError) -> [String: MessageAttributeValue] {
        if buffer.isEmpty { return [:] }
        var reader = Reader(buffer: buffer, column: column)
        let count = try reader.header()
        var map = Dictionary<String, MessageAttributeValue>(minimumCapacity: count)
        for _ in 0..<count {
            let key = try reader.string()
            let dataType = try reader.string()
            let flags = try reader.byte()
            guard flags & ~(hasString | hasBinary) == 0 else { throw reader.corrupt("unknown flags \(flags)") }
            let string = flags & hasString != 0 ? try reader.string() : nil
            let binary = flags & hasBinary != 0 ? try reader.bytes() : nil
            map[key] = MessageAttributeValue(dataType: dataType, stringValue: string, binaryValue: binary)
        }
        try reader.finish()
        return map
    }

    // MARK: Helpers

    private static func varintSize(_ value: Int) -> Int {
        var value = UInt(value)
        var size = 1
        while value >= 0x80 {
            value >>= 7
            size += 1
        }
        return size
    }

    private static func stringSize(_ string: String) -> Int {
        let count = string.utf8.count
        return varintSize(count) + count
    }

    private static func appendVarint(_ value: Int, to bytes: inout [UInt8]) {
        var value = UInt(value)
        while value >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: value) | 0x80)
            value >>= 7
        }
        bytes.append(UInt8(value))
    }

    private static func appendString(_ string: String, to bytes: inout [UInt8]) {
        appendVarint(string.utf8.count, to: &bytes)
        bytes.append(contentsOf: string.utf8)
    }

    /// A bounds-checked cursor over an encoded map.
    private struct Reader {
        let buffer: UnsafeRawBufferPointer
        let column: String
        var offset = 0

        init(buffer: UnsafeRawBufferPointer, column: String) {
            self.buffer = buffer
            self.column = column
        }

        func corrupt(_ detail: String) -> SQLiteStoreError {
            .corruptValue("\(column) at byte \(offset): \(detail)")
        }

        mutating func header() throws(SQLiteStoreError) -> Int {
            let version = try byte()
            guard version == AttributeCoding.formatVersion else { throw corrupt("unknown format \(version)") }
            let count = try varint()
            // Every entry takes at least two bytes: a cheap guard against absurd counts.
            guard count <= buffer.count else { throw corrupt("entry count \(count) exceeds the data") }
            return count
        }

        mutating func byte() throws(SQLiteStoreError) -> UInt8 {
            guard offset < buffer.count else { throw corrupt("truncated") }
            defer { offset += 1 }
            return buffer[offset]
        }

        mutating func varint() throws(SQLiteStoreError) -> Int {
            var result: UInt = 0
            var shift: UInt = 0
            while true {
                let byte = try byte()
                guard shift < 63 else { throw corrupt("varint too long") }
                result |= UInt(byte & 0x7F) << shift
                if byte & 0x80 == 0 { break }
                shift += 7
            }
            guard result <= UInt(Int.max) else { throw corrupt("varint out of range") }
            return Int(result)
        }

        mutating func slice() throws(SQLiteStoreError) -> UnsafeRawBufferPointer {
            let count = try varint()
            guard count <= buffer.count - offset else { throw corrupt("length \(count) exceeds the data") }
            defer { offset += count }
            return UnsafeRawBufferPointer(rebasing: buffer[offset..<offset + count])
        }

        mutating func string() throws(SQLiteStoreError) -> String {
            String(decoding: try slice(), as: UTF8.self)
        }

        mutating func bytes() throws(SQLiteStoreError) -> [UInt8] {
            Array(try slice())
        }

        func finish() throws(SQLiteStoreError) {
            guard offset == buffer.count else { throw corrupt("\(buffer.count - offset) trailing bytes") }
        }
    }
}
