/// Writes JSON text straight into a byte array: the response side of the JSON protocol.
///
/// Responses are small, flat shapes, so writing them by hand avoids `JSONEncoder`'s reflection
/// and intermediate values on the hot path. Objects are written with ``object(_:)``; members
/// skip `nil` values, so absent members are omitted as AWS omits them.
///
/// ```swift
/// var writer = JSONWriter()
/// writer.object { o in
///     o.member("QueueUrl", url)
/// }
/// let bytes = writer.bytes
/// ```
public struct JSONWriter: Sendable {
    /// The JSON text written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init(capacity: Int = 256) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes one object; `body` writes its members.
    public mutating func object(_ body: (inout ObjectWriter) -> Void) {
        var object = ObjectWriter(writer: self)
        bytes = []  // the object writer now holds the only reference to the buffer
        object.writer.bytes.append(UInt8(ascii: "{"))
        body(&object)
        object.writer.bytes.append(UInt8(ascii: "}"))
        self = object.writer
    }

    /// Writes a string value with JSON escaping.
    public mutating func string(_ value: String) {
        bytes.append(UInt8(ascii: "\""))
        let utf8 = value.utf8
        let clean = utf8.withContiguousStorageIfAvailable { buffer in
            !buffer.contains { $0 < 0x20 || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }
        }
        if clean == true {
            bytes.append(contentsOf: utf8)
        } else {
            for byte in utf8 {
                switch byte {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case ..<0x20:
                    let hex: [UInt8] = Array("0123456789abcdef".utf8)
                    bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(byte >> 4)], hex[Int(byte & 0xF)]])
                default: bytes.append(byte)
                }
            }
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// Writes an integer value.
    public mutating func integer(_ value: Int) {
        bytes.append(contentsOf: String(value).utf8)
    }

    /// Writes `true` or `false`.
    public mutating func boolean(_ value: Bool) {
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
    }

    /// Writes an array whose elements `body` writes, one per call of `element`.
    public mutating func array<S: Sequence>(_ elements: S, _ body: (inout JSONWriter, S.Element) -> Void) {
        bytes.append(UInt8(ascii: "["))
        var first = true
        for element in elements {
            if !first { bytes.append(UInt8(ascii: ",")) }
            first = false
            body(&self, element)
        }
        bytes.append(UInt8(ascii: "]"))
    }

    /// Writes an object of string values with keys in sorted order.
    public mutating func stringMap(_ map: [String: String]) {
        object { o in
            for key in map.keys.sorted() {
                o.member(key, map[key])
            }
        }
    }

    /// Writes the members of one JSON object.
    public struct ObjectWriter: Sendable {
        fileprivate var writer: JSONWriter
        private var count = 0

        fileprivate init(writer: JSONWriter) {
            self.writer = writer
        }

        private mutating func key(_ name: String) {
            if count > 0 { writer.bytes.append(UInt8(ascii: ",")) }
            count += 1
            writer.string(name)
            writer.bytes.append(UInt8(ascii: ":"))
        }

        /// A string member; omitted when `value` is `nil`.
        public mutating func member(_ name: String, _ value: String?) {
            guard let value else { return }
            key(name)
            writer.string(value)
        }

        /// An integer member; omitted when `value` is `nil`.
        public mutating func member(_ name: String, _ value: Int?) {
            guard let value else { return }
            key(name)
            writer.integer(value)
        }

        /// A boolean member.
        public mutating func member(_ name: String, _ value: Bool) {
            key(name)
            writer.boolean(value)
        }

        /// A map of strings; omitted when empty.
        public mutating func member(_ name: String, _ map: [String: String]) {
            guard !map.isEmpty else { return }
            key(name)
            writer.stringMap(map)
        }

        /// An array of strings; omitted when empty.
        public mutating func member(_ name: String, _ values: [String]) {
            guard !values.isEmpty else { return }
            key(name)
            writer.array(values) { $0.string($1) }
        }

        /// An array whose elements `body` writes; omitted when empty unless `alwaysWrite`.
        public mutating func member<C: Collection>(
            _ name: String, array elements: C, alwaysWrite: Bool = false, _ body: (inout JSONWriter, C.Element) -> Void
        ) {
            guard alwaysWrite || !elements.isEmpty else { return }
            key(name)
            writer.array(elements, body)
        }

        /// A nested object whose members `body` writes.
        public mutating func member(_ name: String, object body: (inout ObjectWriter) -> Void) {
            key(name)
            writer.object(body)
        }
    }
}
