/// Writes XML straight into a byte array: the response side of the Query protocol.
///
/// Like ``JSONWriter``, it writes by hand instead of building a document, so the hot path pays
/// for no tree and no Foundation XML. Text is escaped as AWS escapes it: `&`, `<`, `>` and `"` as
/// entities (so `]]>` can never end anything), `\r` as `&#xD;` (an XML parser would otherwise turn
/// `\r\n` into `\n`), other control characters as numeric references; everything else, including
/// any non-ASCII character, is written as UTF-8.
///
/// ```swift
/// var writer = XMLWriter()
/// writer.element("GetQueueUrlResult") { w in
///     w.element("QueueUrl", url)
/// }
/// ```
public struct XMLWriter: Sendable {
    /// The XML text written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init(capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    /// Writes bytes that need no escaping (a declaration, a known tag).
    public mutating func raw(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    /// Writes `<name>`, what `body` writes, and `</name>`.
    public mutating func element(_ name: String, _ body: (inout XMLWriter) -> Void) {
        open(name)
        body(&self)
        close(name)
    }

    /// Writes `<name>text</name>`; nothing when `text` is `nil`.
    public mutating func element(_ name: String, _ text: String?) {
        guard let text else { return }
        open(name)
        self.text(text)
        close(name)
    }

    /// Writes `<name>value</name>`; nothing when `value` is `nil`.
    public mutating func element(_ name: String, _ value: Int?) {
        guard let value else { return }
        element(name, String(value))
    }

    /// Writes `<name>true</name>` or `<name>false</name>`.
    public mutating func element(_ name: String, _ value: Bool) {
        element(name, value ? "true" : "false")
    }

    /// Writes `<name>`.
    public mutating func open(_ name: String) {
        bytes.append(UInt8(ascii: "<"))
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Writes `</name>`.
    public mutating func close(_ name: String) {
        bytes.append(contentsOf: [UInt8(ascii: "<"), UInt8(ascii: "/")])
        bytes.append(contentsOf: name.utf8)
        bytes.append(UInt8(ascii: ">"))
    }

    /// Writes character data, escaped.
    public mutating func text(_ value: String) {
        let utf8 = value.utf8
        let clean = utf8.withContiguousStorageIfAvailable { buffer in
            !buffer.contains { Self.needsEscape($0) }
        }
        if clean == true {
            bytes.append(contentsOf: utf8)
            return
        }
        for byte in utf8 {
            switch byte {
            case UInt8(ascii: "&"): bytes.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): bytes.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): bytes.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "\""): bytes.append(contentsOf: "&quot;".utf8)
            case 0x09, 0x0A: bytes.append(byte)
            case ..<0x20:
                let hex: [UInt8] = Array("0123456789ABCDEF".utf8)
                bytes.append(contentsOf: "&#x".utf8)
                if byte >= 0x10 { bytes.append(hex[Int(byte >> 4)]) }
                bytes.append(hex[Int(byte & 0xF)])
                bytes.append(UInt8(ascii: ";"))
            default: bytes.append(byte)
            }
        }
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""): return true
        case 0x09, 0x0A: return false
        default: return byte < 0x20
        }
    }
}
