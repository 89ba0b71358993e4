/// `application/x-www-form-urlencoded` decoding, for query strings and form bodies.
public enum FormEncoding {
    /// `a=b&c=d` with `+` and `%XX` decoded; a later repeat of a name wins.
    public static func parameters(_ query: Substring) -> [String: String] {
        var result: [String: String] = [:]
        for pair in query.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1)
            result[percentDecoded(parts[0], plusAsSpace: true)] = parts.count > 1 ? percentDecoded(parts[1], plusAsSpace: true) : ""
        }
        return result
    }

    /// The query parameters of a request URI (`/path?a=b`).
    public static func queryParameters(of uri: String) -> [String: String] {
        guard let mark = uri.firstIndex(of: "?") else { return [:] }
        return parameters(uri[uri.index(after: mark)...])
    }

    /// `%XX` sequences decoded as UTF-8 (malformed ones kept as they are); `+` becomes a space in
    /// form encoding, and stays `+` in a path segment.
    public static func percentDecoded(_ text: Substring, plusAsSpace: Bool) -> String {
        guard text.contains("%") || (plusAsSpace && text.contains("+")) else { return String(text) }
        var bytes: [UInt8] = []
        var utf8 = Array(text.utf8)[...]
        while let byte = utf8.popFirst() {
            if plusAsSpace && byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), utf8.count >= 2, let value = UInt8(String(decoding: utf8.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(value)
                utf8 = utf8.dropFirst(2)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
