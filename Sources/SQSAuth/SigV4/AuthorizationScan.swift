/// Where the parts of an `Authorization` header are, found over its UTF-8 bytes: the algorithm (up to
/// the first space after leading spaces), then comma-separated `name=value` pairs, each trimmed of
/// spaces and tabs, empty ones skipped, the last `Credential`, `SignedHeaders` and `Signature` kept.
/// The first non-empty pair without `=` stops the scan as malformed. Byte offsets instead of
/// indexing the string's UTF-8 view: this runs for every request under `--auth`, and the view's
/// index checks were most of its cost.
struct AuthorizationScan: Equatable {
    var algorithm: Range<Int>
    var credential: Range<Int>?
    var signedHeaders: Range<Int>?
    var signature: Range<Int>?
    var malformedPair: Range<Int>?

    /// A scan that found only the algorithm (for building expected values in tests).
    init(algorithm: Range<Int>) {
        self.algorithm = algorithm
    }

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        let space = UInt8(ascii: " ")
        var index = 0
        while index < bytes.count, bytes[index] == space { index += 1 }
        let start = index
        while index < bytes.count, bytes[index] != space { index += 1 }
        algorithm = start..<index
        var partStart = index
        while partStart < bytes.count {
            var partEnd = partStart
            while partEnd < bytes.count, bytes[partEnd] != UInt8(ascii: ",") { partEnd += 1 }
            var low = partStart
            var high = partEnd
            while low < high, Self.isBlank(bytes[low]) { low += 1 }
            while high > low, Self.isBlank(bytes[high - 1]) { high -= 1 }
            partStart = partEnd == bytes.count ? partEnd : partEnd + 1
            if low == high { continue }
            var equals = low
            while equals < high, bytes[equals] != UInt8(ascii: "=") { equals += 1 }
            if equals == high {
                malformedPair = low..<high
                return
            }
            let name = UnsafeBufferPointer(rebasing: bytes[low..<equals])
            let value = (equals + 1)..<high
            if name.elementsEqual("Credential".utf8) {
                credential = value
            } else if name.elementsEqual("SignedHeaders".utf8) {
                signedHeaders = value
            } else if name.elementsEqual("Signature".utf8) {
                signature = value
            }
        }
    }

    static func isBlank(_ byte: UInt8) -> Bool { byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") }
}
