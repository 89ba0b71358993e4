import Crypto
import FoundationEssentials

/// The canonical request and string to sign of SigV4 (the services sqslite serves are not S3: the
/// path is normalized and encoded once more, and the payload is hashed).
///
/// ```
/// <METHOD>\n<canonical URI>\n<canonical query>\n<canonical headers>\n\n<signed headers>\n<payload hash>
/// ```
public enum CanonicalRequest {
    /// One `key=value` of a query string, decoded.
    public struct QueryPair: Sendable {
        /// The decoded name.
        public var name: [UInt8]
        /// The decoded value.
        public var value: [UInt8]

        /// The name as text.
        public var nameText: String { String(decoding: name, as: UTF8.self) }
        /// The value as text.
        public var valueText: String { String(decoding: value, as: UTF8.self) }
    }

    /// The pairs of a raw query string (`+` is a space, as form encoding has it).
    public static func queryPairs(_ query: Substring) -> [QueryPair] {
        guard !query.isEmpty else { return [] }
        var pairs: [QueryPair] = []
        for part in query.split(separator: "&", omittingEmptySubsequences: true) {
            if let equals = part.firstIndex(of: "=") {
                pairs.append(
                    QueryPair(
                        name: URIEncoding.decode(part[..<equals], plusAsSpace: true),
                        value: URIEncoding.decode(part[part.index(after: equals)...], plusAsSpace: true)))
            } else {
                pairs.append(QueryPair(name: URIEncoding.decode(part, plusAsSpace: true), value: []))
            }
        }
        return pairs
    }

    /// The canonical URI: dot segments and repeated slashes removed, each byte outside the
    /// unreserved set and `/` percent-encoded (so an escape sent on the wire is encoded again).
    public static func uri(_ path: Substring) -> String {
        guard !path.isEmpty else { return "/" }
        var segments: [Substring] = []
        for segment in path.split(separator: "/", omittingEmptySubsequences: true) {
            if segment == "." { continue }
            if segment == ".." {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(segment)
        }
        var output: [UInt8] = []
        output.reserveCapacity(path.utf8.count + 8)
        if path.first == "/" { output.append(UInt8(ascii: "/")) }
        for (index, segment) in segments.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "/")) }
            URIEncoding.encode(segment.utf8, into: &output)
        }
        if path.last == "/", !segments.isEmpty { output.append(UInt8(ascii: "/")) }
        return String(decoding: output, as: UTF8.self)
    }

    /// The canonical query string: every pair but `excluded` (a presigned URL's `X-Amz-Signature`),
    /// names and values encoded, sorted by name then value.
    public static func query(_ pairs: [QueryPair], excluding excluded: String? = nil) -> String {
        guard !pairs.isEmpty else { return "" }
        let skip = excluded.map { Array($0.utf8) }
        var encoded: [(name: [UInt8], value: [UInt8])] = []
        encoded.reserveCapacity(pairs.count)
        for pair in pairs where skip == nil || pair.name != skip! {
            var name: [UInt8] = []
            var value: [UInt8] = []
            URIEncoding.encode(pair.name, into: &name)
            URIEncoding.encode(pair.value, into: &value)
            encoded.append((name, value))
        }
        encoded.sort { $0.name == $1.name ? $0.value.lexicographicallyPrecedes($1.value) : $0.name.lexicographicallyPrecedes($1.name) }
        var output: [UInt8] = []
        for (index, pair) in encoded.enumerated() {
            if index > 0 { output.append(UInt8(ascii: "&")) }
            output.append(contentsOf: pair.name)
            output.append(UInt8(ascii: "="))
            output.append(contentsOf: pair.value)
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// The canonical headers block: `name:value\n` for each signed header, its values (in the order
    /// received) trimmed, inner runs of spaces collapsed, and joined with commas.
    public static func headers<Headers: SigV4Headers>(_ signed: [Substring], from headers: Headers) -> String {
        var output = ""
        output.reserveCapacity(signed.count * 40)
        for name in signed {
            output += name
            output += ":"
            let values = headers.sigV4Values(String(name))
            for (index, value) in values.enumerated() {
                if index > 0 { output += "," }
                output += trimAll(value)
            }
            output += "\n"
        }
        return output
    }

    /// The whole canonical request.
    public static func build<Headers: SigV4Headers>(
        method: String, path: Substring, queryPairs: [QueryPair], excludingQuery excluded: String? = nil, headers: Headers,
        signedHeaders: [Substring], signedHeadersText: Substring, payloadHash: String
    ) -> String {
        var text = method
        text += "\n"
        text += uri(path)
        text += "\n"
        text += query(queryPairs, excluding: excluded)
        text += "\n"
        text += Self.headers(signedHeaders, from: headers)
        text += "\n"
        text += signedHeadersText
        text += "\n"
        text += payloadHash
        return text
    }

    /// The string to sign over a canonical request.
    public static func stringToSign(timestamp: String, scope: String, canonicalRequest: String) -> String {
        var text = canonicalRequest
        let hash = text.withUTF8 { hexSHA256(UnsafeRawBufferPointer($0)) }
        return "\(AuthLimits.algorithm)\n\(timestamp)\n\(scope)\n\(hash)"
    }

    /// Lower-case hex SHA-256 of bytes.
    public static func hexSHA256<Bytes: DataProtocol>(_ bytes: Bytes) -> String {
        URIEncoding.hex(SHA256.hash(data: bytes))
    }

    /// Lower-case hex SHA-256 of a buffer (a request body, without copying it).
    public static func hexSHA256(_ buffer: UnsafeRawBufferPointer) -> String {
        var hasher = SHA256()
        hasher.update(bufferPointer: buffer)
        return URIEncoding.hex(hasher.finalize())
    }

    /// The SHA-256 of an empty body.
    public static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// A header value trimmed, with each run of spaces or tabs inside made one space.
    static func trimAll(_ value: String) -> String {
        let utf8 = value.utf8
        var needsWork = false
        var previousSpace = true
        for byte in utf8 {
            let space = byte == 0x20 || byte == 0x09
            if (space && previousSpace) || byte == 0x09 { needsWork = true }
            previousSpace = space
        }
        if !needsWork, !previousSpace { return value }
        var output: [UInt8] = []
        output.reserveCapacity(utf8.count)
        var pendingSpace = false
        for byte in utf8 {
            if byte == 0x20 || byte == 0x09 {
                pendingSpace = !output.isEmpty
            } else {
                if pendingSpace { output.append(0x20) }
                pendingSpace = false
                output.append(byte)
            }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
