import FoundationEssentials

/// Random version-4 UUIDs as SQS and Lambda write them (lower case, `8-4-4-4-12`), for message
/// ids, request ids and task ids.
///
/// Foundation's `UUID()` opens and reads `/dev/urandom` for each id on Linux, a few microseconds
/// of system calls that were a twentieth of a SendMessage's cost; this takes the bits from
/// ``RandomBytePool`` (the kernel's generator, read in bulk) and writes the text in one allocation.
public enum RandomID {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// A new random UUID in lower case.
    public static func uuidString() -> String {
        var generator = PooledRandomNumberGenerator()
        return uuidString(using: &generator)
    }

    /// A new random UUID, as its bytes and as its text in lower case (a message's id: the engine
    /// keeps the bytes, the store and the client the text).
    public static func uuid() -> (bytes: UUID, text: String) {
        var generator = PooledRandomNumberGenerator()
        let (high, low) = bits(using: &generator)
        let bytes = withUnsafeBytes(of: (high.bigEndian, low.bigEndian)) { raw in
            UUID(uuid: raw.load(as: uuid_t.self))
        }
        return (bytes, text(high: high, low: low))
    }

    /// A UUID from `generator`'s bits, with the version (4) and variant (RFC 4122) bits set.
    public static func uuidString<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        let (high, low) = bits(using: &generator)
        return text(high: high, low: low)
    }

    /// Two words from `generator` with the version (4) and variant (RFC 4122) bits set.
    private static func bits<Generator: RandomNumberGenerator>(using generator: inout Generator) -> (high: UInt64, low: UInt64) {
        (generator.next() & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000, generator.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000)
    }

    /// The `8-4-4-4-12` text of the UUID whose bytes are `high` then `low`, big-endian.
    private static func text(high: UInt64, low: UInt64) -> String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            var position = 0
            func put(_ value: UInt64, nibbles: Int) {
                var shift = (nibbles - 1) * 4
                for _ in 0..<nibbles {
                    buffer[position] = hexDigits[Int(truncatingIfNeeded: value >> UInt64(shift)) & 0xF]
                    position += 1
                    shift -= 4
                }
            }
            func dash() {
                buffer[position] = UInt8(ascii: "-")
                position += 1
            }
            put(high >> 32, nibbles: 8)
            dash()
            put(high >> 16, nibbles: 4)
            dash()
            put(high, nibbles: 4)
            dash()
            put(low >> 48, nibbles: 4)
            dash()
            put(low, nibbles: 12)
            return position
        }
    }
}
