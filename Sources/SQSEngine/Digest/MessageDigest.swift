import Crypto

/// The MD5 digests SQS returns so clients can verify what was stored.
///
/// `MD5OfMessageAttributes` (and `MD5OfMessageSystemAttributes`) follow AWS's algorithm: attribute
/// names sorted ascending; for each, the 4-byte big-endian length and UTF-8 bytes of the name, then
/// of the data type, then a transport byte (1 for String/Number, 2 for Binary) and the length and
/// bytes of the value.
public enum MessageDigest {
    /// Lower-case hex MD5 of `body`'s UTF-8 bytes.
    public static func md5Hex(of body: String) -> String {
        var md5 = Insecure.MD5()
        var copy = body
        copy.withUTF8 { md5.update(bufferPointer: UnsafeRawBufferPointer($0)) }
        return hex(md5.finalize())
    }

    /// Lower-case hex MD5 of message attributes, `nil` when there are none (AWS omits the field).
    public static func md5Hex(of attributes: [String: MessageAttributeValue]) -> String? {
        if attributes.isEmpty { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(256)
        for name in attributes.keys.sorted(by: utf8Less) {
            let value = attributes[name]!
            appendLengthPrefixed(Array(name.utf8), to: &bytes)
            appendLengthPrefixed(Array(value.dataType.utf8), to: &bytes)
            if let binary = value.binaryValue, value.baseType == "Binary" {
                bytes.append(2)
                appendLengthPrefixed(binary, to: &bytes)
            } else {
                bytes.append(1)
                appendLengthPrefixed(Array((value.stringValue ?? "").utf8), to: &bytes)
            }
        }
        return hex(Insecure.MD5.hash(data: bytes))
    }

    private static func utf8Less(_ lhs: String, _ rhs: String) -> Bool {
        lhs.utf8.lexicographicallyPrecedes(rhs.utf8)
    }

    private static func appendLengthPrefixed(_ value: [UInt8], to bytes: inout [UInt8]) {
        let length = UInt32(value.count)
        bytes.append(UInt8(truncatingIfNeeded: length >> 24))
        bytes.append(UInt8(truncatingIfNeeded: length >> 16))
        bytes.append(UInt8(truncatingIfNeeded: length >> 8))
        bytes.append(UInt8(truncatingIfNeeded: length))
        bytes.append(contentsOf: value)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0f)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hex SHA-256 of `body` (FIFO content-based deduplication).
    public static func sha256Hex(of body: String) -> String {
        hex(SHA256.hash(data: Array(body.utf8)))
    }
}
