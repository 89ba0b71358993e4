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

    /// A UUID from `generator`'s bits, with the version (4) and variant (RFC 4122) bits set.
    public static func uuidString<Generator: RandomNumberGenerator>(using generator: inout Generator) -> String {
        let high = generator.next() & 0xFFFF_FFFF_FFFF_0FFF | 0x0000_0000_0000_4000
        let low = generator.next() & 0x3FFF_FFFF_FFFF_FFFF | 0x8000_0000_0000_0000
        return String(unsafeUninitializedCapacity: 36) { buffer in
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
