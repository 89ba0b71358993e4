import Foundation

/// Percent-encoding as SigV4 defines it (RFC 3986 unreserved characters stay, every other byte is
/// `%XX` in upper-case hex), percent-decoding, and lower-case hex for digests.
enum URIEncoding {
    private static let hexDigits: [UInt8] = Array("0123456789ABCDEF".utf8)
    private static let lowerHexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// Whether a byte is unreserved (`A-Z a-z 0-9 - _ . ~`).
    @inline(__always)
    static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// Appends the encoding of `bytes` to `output`; `/` stays as is when `keepSlash`.
    static func encode<Bytes: Sequence<UInt8>>(_ bytes: Bytes, keepSlash: Bool = false, into output: inout [UInt8]) {
        for byte in bytes {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                output.append(byte)
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
    }

    /// The bytes `text` stands for: `%XX` decoded (a malformed escape stays as written), and `+`
    /// as a space when `plusAsSpace` (form encoding).
    static func decode(_ text: Substring, plusAsSpace: Bool) -> [UInt8] {
        let utf8 = Array(text.utf8)
        if !utf8.contains(UInt8(ascii: "%")) && !(plusAsSpace && utf8.contains(UInt8(ascii: "+"))) { return utf8 }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "%"), index + 2 < utf8.count, let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
                output.append(high << 4 | low)
                index += 3
            } else {
                output.append(plusAsSpace && byte == UInt8(ascii: "+") ? UInt8(ascii: " ") : byte)
                index += 1
            }
        }
        return output
    }

    /// Lower-case hex of bytes (digests, signatures).
    ///
    /// Written straight into the string's storage: one allocation, where iterating a digest (Crypto
    /// copies it into an array to iterate) and decoding a byte array took three.
    static func hex(_ bytes: some ContiguousBytes) -> String {
        bytes.withUnsafeBytes { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { buffer in
                for (index, byte) in bytes.enumerated() {
                    buffer[2 * index] = lowerHexDigits[Int(byte >> 4)]
                    buffer[2 * index + 1] = lowerHexDigits[Int(byte & 0x0F)]
                }
                return bytes.count * 2
            }
        }
    }

    /// Appends the lower-case hex of bytes to a byte buffer.
    static func appendHex(_ bytes: some ContiguousBytes, into output: inout [UInt8]) {
        bytes.withUnsafeBytes { bytes in
            for byte in bytes {
                output.append(lowerHexDigits[Int(byte >> 4)])
                output.append(lowerHexDigits[Int(byte & 0x0F)])
            }
        }
    }

    /// A hex digit's value (either case), or `nil` for anything else.
    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        default: nil
        }
    }
}
