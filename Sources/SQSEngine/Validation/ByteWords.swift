/// Byte tests on eight bytes at once (SWAR), for the loops that scan request bodies byte by byte.
///
/// Each test is exact for the word as a whole: it says whether *some* byte has the property (the
/// borrow of the subtraction can mark a byte above a matching one, never a word without one), so a
/// scanner may skip a word that fails every test and look at the bytes of any other one by one.
/// Byte order does not matter.
public enum ByteWords {
    @usableFromInline static let ones: UInt64 = 0x0101_0101_0101_0101
    @usableFromInline static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The eight bytes of `bytes` from `offset` (which must leave eight to read).
    @inlinable
    public static func load(_ bytes: UnsafeBufferPointer<UInt8>, at offset: Int) -> UInt64 {
        UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped).loadUnaligned(fromByteOffset: offset, as: UInt64.self)
    }

    /// Whether a byte of `word` is below `limit`, which must be at most 0x80.
    @inlinable
    public static func hasByte(below limit: UInt8, in word: UInt64) -> Bool {
        (word &- ones &* UInt64(limit)) & ~word & highBits != 0
    }

    /// Whether a byte of `word` is `value`.
    @inlinable
    public static func hasByte(_ value: UInt8, in word: UInt64) -> Bool {
        let differences = word ^ (ones &* UInt64(value))
        return (differences &- ones) & ~differences & highBits != 0
    }

    /// Whether a byte of `word` is 0x80 or above (not ASCII).
    @inlinable
    public static func hasNonASCII(_ word: UInt64) -> Bool {
        word & highBits != 0
    }
}
