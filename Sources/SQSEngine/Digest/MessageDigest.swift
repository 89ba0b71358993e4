import Crypto
import Foundation

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

    /// Lower-case hex of `digest`, written straight into the string's storage: one allocation, where
    /// iterating the digest (Crypto copies it into an array to iterate) and decoding a byte array took three.
    static func hex(_ digest: some ContiguousBytes) -> String {
        digest.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
                for (index, byte) in bytes.enumerated() {
                    buffer[2 * index] = hexDigit(byte >> 4)
                    buffer[2 * index + 1] = hexDigit(byte & 0x0F)
                }
                return bytes.count * 2
            }
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") - 10 + nibble
    }

    /// Lower-case hex SHA-256 of `body` (FIFO content-based deduplication).
    public static func sha256Hex(of body: String) -> String {
        hex(SHA256.hash(data: Array(body.utf8)))
    }
}
