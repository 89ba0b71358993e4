import Foundation

/// Reads what the mailbox needs out of a raw MIME message (SendRawEmail): the address and
/// subject headers and the first text and HTML parts, decoding base64, quoted-printable and
/// RFC 2047 encoded words.
public struct MIMEParser {
    /// The headers of the top-level entity, names lower-cased, unfolded.
    public private(set) var headers: [(name: String, value: String)] = []
    public private(set) var text: String?
    public private(set) var html: String?

    /// Parses a message.
    public init(_ raw: String) {
        let (headers, body) = Self.split(raw)
        self.headers = headers
        walk(headers: headers, body: body, depth: 0)
    }

    /// The first value of a header.
    public func header(_ name: String) -> String? {
        headers.first { $0.name == name.lowercased() }.map { Self.decodeWords($0.value) }
    }

    /// The addresses of an address header (`To`, `Cc`, …), `Name <a@b>` reduced to `a@b`.
    public func addresses(_ name: String) -> [String] {
        headers.filter { $0.name == name.lowercased() }.flatMap { Self.addressList($0.value) }
    }

    /// `a@b, "Name, X" <c@d>` → `["a@b", "c@d"]`.
    static func addressList(_ value: String) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        for character in value {
            if character == "\"" { quoted.toggle() }
            if character == "," && !quoted {
                result.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        result.append(current)
        return result.compactMap { entry in
            let trimmed = entry.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { return nil }
            if let open = trimmed.lastIndex(of: "<"), let close = trimmed.lastIndex(of: ">"), open < close {
                return String(trimmed[trimmed.index(after: open)..<close])
            }
            return trimmed
        }
    }

    private mutating func walk(headers: [(name: String, value: String)], body: String, depth: Int) {
        guard depth < 10 else { return }
        let contentType = headers.first { $0.name == "content-type" }?.value ?? "text/plain"
        let type = contentType.split(separator: ";").first.map { $0.trimmingCharacters(in: .whitespaces).lowercased() } ?? "text/plain"
        if type.hasPrefix("multipart/"), let boundary = Self.parameter("boundary", in: contentType) {
            for part in Self.parts(body, boundary: boundary) {
                let (partHeaders, partBody) = Self.split(part)
                walk(headers: partHeaders, body: partBody, depth: depth + 1)
            }
            return
        }
        let disposition = headers.first { $0.name == "content-disposition" }?.value.lowercased() ?? ""
        guard !disposition.hasPrefix("attachment") else { return }
        let encoding = headers.first { $0.name == "content-transfer-encoding" }?.value.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
        let decoded = Self.decode(body, encoding: encoding)
        if type == "text/plain", text == nil { text = decoded } else if type == "text/html", html == nil { html = decoded }
    }

    /// Headers (unfolded) and body of an entity.
    static func split(_ raw: String) -> ([(name: String, value: String)], String) {
        let normalized = raw.split(separator: "\r\n", omittingEmptySubsequences: false).joined(separator: "\n")
        var headers: [(name: String, value: String)] = []
        var lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)[...]
        while let line = lines.first {
            lines = lines.dropFirst()
            if line.isEmpty { break }
            if line.first == " " || line.first == "\t", !headers.isEmpty {
                headers[headers.count - 1].value += " " + line.trimmingCharacters(in: .whitespaces)
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((line[..<colon].trimmingCharacters(in: .whitespaces).lowercased(), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)))
            }
        }
        return (headers, lines.joined(separator: "\n"))
    }

    static func parameter(_ name: String, in header: String) -> String? {
        for piece in header.split(separator: ";").dropFirst() {
            let pair = piece.split(separator: "=", maxSplits: 1)
            guard pair.count == 2, pair[0].trimmingCharacters(in: .whitespaces).lowercased() == name else { continue }
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            if value.hasPrefix("\""), value.hasSuffix("\""), value.count >= 2 { value = String(value.dropFirst().dropLast()) }
            return value
        }
        return nil
    }

    static func parts(_ body: String, boundary: String) -> [String] {
        var parts: [String] = []
        var current: [Substring]?
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("--\(boundary)--") {
                if let current { parts.append(current.joined(separator: "\n")) }
                return parts
            }
            if line.hasPrefix("--\(boundary)") {
                if let current { parts.append(current.joined(separator: "\n")) }
                current = []
            } else {
                current?.append(line)
            }
        }
        if let current { parts.append(current.joined(separator: "\n")) }
        return parts
    }

    static func decode(_ body: String, encoding: String) -> String {
        switch encoding {
        case "base64":
            let compact = body.filter { !$0.isWhitespace }
            return Data(base64Encoded: compact).map { String(decoding: $0, as: UTF8.self) } ?? body
        case "quoted-printable":
            return quotedPrintable(body, underscoreIsSpace: false)
        default:
            return body.hasSuffix("\n") ? String(body.dropLast()) : body
        }
    }

    static func quotedPrintable(_ text: String, underscoreIsSpace: Bool) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var index = 0
        while index < utf8.count {
            let byte = utf8[index]
            if byte == UInt8(ascii: "=") {
                if index + 1 < utf8.count, utf8[index + 1] == UInt8(ascii: "\n") {
                    index += 2
                    continue
                }
                if index + 2 < utf8.count, let value = UInt8(String(decoding: utf8[(index + 1)...(index + 2)], as: UTF8.self), radix: 16) {
                    bytes.append(value)
                    index += 3
                    continue
                }
            }
            bytes.append(underscoreIsSpace && byte == UInt8(ascii: "_") ? UInt8(ascii: " ") : byte)
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Decodes RFC 2047 encoded words (`=?UTF-8?B?…?=`, `=?utf-8?Q?…?=`).
    static func decodeWords(_ value: String) -> String {
        guard value.contains("=?") else { return value }
        var result = ""
        var rest = Substring(value)
        while let start = rest.firstRange(of: "=?") {
            result += rest[..<start.lowerBound]
            let after = rest[start.upperBound...]
            let pieces = after.split(separator: "?", maxSplits: 3, omittingEmptySubsequences: false)
            guard pieces.count == 4, pieces[3].hasPrefix("=") else {
                result += "=?"
                rest = after
                continue
            }
            let encoded = String(pieces[2])
            let decoded =
                pieces[1].uppercased() == "B"
                ? Data(base64Encoded: encoded).map { String(decoding: $0, as: UTF8.self) } ?? encoded
                : quotedPrintable(encoded, underscoreIsSpace: true)
            result += decoded
            rest = pieces[3].dropFirst()
            // Whitespace between adjacent encoded words is dropped.
            if rest.drop(while: { $0 == " " }).hasPrefix("=?") { rest = rest.drop(while: { $0 == " " }) }
        }
        return result + rest
    }
}
