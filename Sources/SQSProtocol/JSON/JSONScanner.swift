import SQSEngine

/// A forward-only reader of JSON text for the request shapes the hot actions use, straight from
/// the request's bytes (no `Data`, no intermediate tree, no Codable containers).
///
/// It is strict and gives up rather than guess: every method returns `nil` (or `false`) on
/// anything it does not read exactly as Foundation's `JSONDecoder` would: invalid JSON, a number
/// with a fraction or an exponent, a key with an escape, a lone surrogate, invalid UTF-8. The
/// caller then decodes the same body with Codable, which produces the request or AWS's
/// `SerializationException` wording. So the fast path never changes what a request means, only
/// how quickly a well-formed one is read.
struct JSONScanner: ~Copyable {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    /// A scanner over `bytes`, which must outlive it.
    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// Whether only whitespace is left.
    mutating func atEnd() -> Bool {
        skipWhitespace()
        return position == bytes.count
    }

    /// Reads an object: `member` is called with each key's bytes (the scanner then stands on its
    /// value, which `member` must read or skip) and returns `false` to give up. `null` is an absent
    /// object (`nil` result with `present == false`).
    mutating func object(_ member: (inout JSONScanner, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "{")) else { return false }
        if consume(UInt8(ascii: "}")) { return true }
        while true {
            guard let key = rawKey(), consume(UInt8(ascii: ":")), member(&self, key) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "}"))
        }
    }

    /// Reads an array, calling `element` with the scanner on each element.
    mutating func array(_ element: (inout JSONScanner) -> Bool) -> Bool {
        guard consume(UInt8(ascii: "[")) else { return false }
        if consume(UInt8(ascii: "]")) { return true }
        while true {
            guard element(&self) else { return false }
            if consume(UInt8(ascii: ",")) { continue }
            return consume(UInt8(ascii: "]"))
        }
    }

    /// Consumes `null` if it is next.
    mutating func null() -> Bool {
        skipWhitespace()
        guard bytes.count - position >= 4, bytes[position] == UInt8(ascii: "n"), bytes[position + 1] == UInt8(ascii: "u"),
            bytes[position + 2] == UInt8(ascii: "l"), bytes[position + 3] == UInt8(ascii: "l")
        else { return false }
        position += 4
        return true
    }

    /// Reads a string value (`.some(nil)` for `null`); `nil` when the next value is anything else.
    mutating func optionalString() -> String?? {
        if null() { return .some(nil) }
        return string().map { .some($0) }
    }

    /// Reads an integer value without fraction or exponent (`.some(nil)` for `null`).
    mutating func optionalInt() -> Int?? {
        if null() { return .some(nil) }
        return int().map { .some($0) }
    }

    /// Reads a string.
    mutating func string() -> String? {
        switch quotedRun(asciiOnly: false) {
        case .closed(let bytes): String(validating: bytes, as: UTF8.self)
        case .escape(let start): escapedString(from: start)
        case .invalid: nil
        }
    }

    /// Reads an integer.
    mutating func int() -> Int? {
        skipWhitespace()
        var index = position
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let digitsStart = index
        var value = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            let digit = Int(bytes[index] - UInt8(ascii: "0"))
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = negative ? times.subtractingReportingOverflow(digit) : times.addingReportingOverflow(digit)
            guard !o1, !o2 else { return nil }
            value = sum
            index += 1
        }
        let digits = index - digitsStart
        // JSON forbids leading zeros; a fraction or exponent is left to Codable.
        guard digits > 0, !(digits > 1 && bytes[digitsStart] == UInt8(ascii: "0")) else { return nil }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] | 0x20 == UInt8(ascii: "e") { return nil }
        position = index
        return value
    }

    /// Skips any one value, checking it is well-formed JSON.
    mutating func skipValue(depth: Int = 0) -> Bool {
        guard depth < 64 else { return false }
        skipWhitespace()
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "{"):
            return object { scanner, _ in scanner.skipValue(depth: depth + 1) }
        case UInt8(ascii: "["):
            return array { $0.skipValue(depth: depth + 1) }
        case UInt8(ascii: "\""):
            return string() != nil
        case UInt8(ascii: "t"):
            return literal("true")
        case UInt8(ascii: "f"):
            return literal("false")
        case UInt8(ascii: "n"):
            return null()
        default:
            return int() != nil
        }
    }

    // MARK: - Pieces

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x0A, 0x0D, 0x09: position += 1
            default: return
            }
        }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == byte else { return false }
        position += 1
        return true
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
        position += count
        return true
    }

    /// A key's bytes between its quotes; `nil` for a key with an escape (Codable unescapes it) or
    /// outside ASCII (every SQS member and attribute name is ASCII; Codable validates the rest).
    private mutating func rawKey() -> UnsafeBufferPointer<UInt8>? {
        guard case .closed(let bytes) = quotedRun(asciiOnly: true) else { return nil }
        return bytes
    }

    /// How a quoted run of plain bytes ended.
    private enum QuotedRun {
        /// At the closing quote (consumed): the bytes between the quotes.
        case closed(UnsafeBufferPointer<UInt8>)
        /// At a backslash; the string's content starts at `start`.
        case escape(start: Int)
        /// Not a string, unterminated, a control character, or (with `asciiOnly`) a non-ASCII byte.
        case invalid
    }

    /// Reads from an opening quote while the bytes need no unescaping.
    private mutating func quotedRun(asciiOnly: Bool) -> QuotedRun {
        skipWhitespace()
        guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else { return .invalid }
        let start = position + 1
        var index = start
        while index < bytes.count {
            // Eight bytes at a time while none ends the run (a quote, a backslash, a control
            // character or, with `asciiOnly`, a non-ASCII byte).
            if index &+ 8 <= bytes.count {
                let word = ByteWords.load(bytes, at: index)
                if !ByteWords.hasByte(below: 0x20, in: word) && !ByteWords.hasByte(UInt8(ascii: "\""), in: word)
                    && !ByteWords.hasByte(UInt8(ascii: "\\"), in: word) && !(asciiOnly && ByteWords.hasNonASCII(word))
                {
                    index &+= 8
                    continue
                }
            }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                position = index + 1
                return .closed(UnsafeBufferPointer(rebasing: bytes[start..<index]))
            }
            if byte == UInt8(ascii: "\\") { return asciiOnly ? .invalid : .escape(start: start) }
            if byte < 0x20 || (asciiOnly && byte >= 0x80) { return .invalid }
            index += 1
        }
        return .invalid
    }

    /// The rest of a string that has an escape, from its first content byte.
    private mutating func escapedString(from start: Int) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                position = index + 1
                return String(validating: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { return nil }
                switch bytes[index] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(bytes[index])
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    guard let scalar = unicodeEscape(at: &index) else { return nil }
                    UTF8.encode(scalar) { out.append($0) }
                    continue
                default: return nil
                }
                index += 1
            case 0..<0x20:
                return nil
            default:
                out.append(byte)
                index += 1
            }
        }
        return nil
    }

    /// Reads `\uXXXX` (and a following low surrogate) with `index` on the `u`; leaves `index` after it.
    private func unicodeEscape(at index: inout Int) -> Unicode.Scalar? {
        guard let high = hex4(at: index + 1) else { return nil }
        index += 5
        if (0xD800..<0xDC00).contains(high) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u"),
                let low = hex4(at: index + 2), (0xDC00..<0xE000).contains(low)
            else { return nil }
            index += 6
            return Unicode.Scalar(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        }
        return Unicode.Scalar(high)
    }

    private func hex4(at index: Int) -> UInt32? {
        guard index + 4 <= bytes.count else { return nil }
        var value: UInt32 = 0
        for byte in bytes[index..<index + 4] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }
}

extension UnsafeBufferPointer<UInt8> {
    /// Whether these bytes are exactly `name`'s UTF-8.
    func equals(_ name: StaticString) -> Bool {
        guard count == name.utf8CodeUnitCount else { return false }
        for offset in 0..<count where self[offset] != name.utf8Start[offset] { return false }
        return true
    }
}
