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
        var output: [UInt8] = []
        appendURI(path, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    static func appendURI(_ path: Substring, into output: inout [UInt8]) {
        guard !path.isEmpty else {
            output.append(UInt8(ascii: "/"))
            return
        }
        let slash = UInt8(ascii: "/")
        var segments: [Substring.UTF8View] = []
        for segment in path.utf8.split(separator: slash, omittingEmptySubsequences: true) {
            if segment.elementsEqual(".".utf8) { continue }
            if segment.elementsEqual("..".utf8) {
                if !segments.isEmpty { segments.removeLast() }
                continue
            }
            segments.append(segment)
        }
        if path.utf8.first == slash { output.append(slash) }
        for (index, segment) in segments.enumerated() {
            if index > 0 { output.append(slash) }
            URIEncoding.encode(segment, into: &output)
        }
        if path.utf8.last == slash, !segments.isEmpty { output.append(slash) }
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
        var output: [UInt8] = []
        appendHeaders(signed, from: headers, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    static func appendHeaders<Headers: SigV4Headers>(_ signed: [Substring], from headers: Headers, into output: inout [UInt8]) {
        for name in signed {
            output.append(contentsOf: name.utf8)
            output.append(UInt8(ascii: ":"))
            var first = true
            headers.sigV4ForEachValue(name) { value in
                if !first { output.append(UInt8(ascii: ",")) }
                first = false
                appendTrimmed(value, into: &output)
            }
            output.append(UInt8(ascii: "\n"))
        }
    }

    /// The whole canonical request.
    public static func build<Headers: SigV4Headers>(
        method: String, path: Substring, queryPairs: [QueryPair], excludingQuery excluded: String? = nil, headers: Headers,
        signedHeaders: [Substring], signedHeadersText: Substring, payloadHash: String
    ) -> String {
        String(
            decoding: bytes(
                method: method, path: path, queryPairs: queryPairs, excludingQuery: excluded, headers: headers, signedHeaders: signedHeaders,
                signedHeadersText: signedHeadersText, payloadHash: payloadHash),
            as: UTF8.self)
    }

    /// The whole canonical request as UTF-8 bytes (what is hashed; text only for a mismatch message).
    static func bytes<Headers: SigV4Headers>(
        method: String, path: Substring, queryPairs: [QueryPair], excludingQuery excluded: String?, headers: Headers,
        signedHeaders: [Substring], signedHeadersText: Substring, payloadHash: String
    ) -> [UInt8] {
        let newline = UInt8(ascii: "\n")
        var output: [UInt8] = []
        output.reserveCapacity(384)
        output.append(contentsOf: method.utf8)
        output.append(newline)
        appendURI(path, into: &output)
        output.append(newline)
        if !queryPairs.isEmpty { output.append(contentsOf: query(queryPairs, excluding: excluded).utf8) }
        output.append(newline)
        appendHeaders(signedHeaders, from: headers, into: &output)
        output.append(newline)
        output.append(contentsOf: signedHeadersText.utf8)
        output.append(newline)
        output.append(contentsOf: payloadHash.utf8)
        return output
    }

    /// The string to sign over a canonical request.
    public static func stringToSign(timestamp: String, scope: String, canonicalRequest: String) -> String {
        var text = canonicalRequest
        let hash = text.withUTF8 { hexSHA256(UnsafeRawBufferPointer($0)) }
        return "\(AuthLimits.algorithm)\n\(timestamp)\n\(scope)\n\(hash)"
    }

    /// The string to sign over a canonical request's bytes, as bytes (what the signing key's HMAC
    /// reads), for a scope given by its parts.
    static func stringToSign(
        timestamp: String, scopeDate: Substring, region: Substring, service: Substring, canonicalBytes: [UInt8]
    ) -> [UInt8] {
        let newline = UInt8(ascii: "\n")
        let slash = UInt8(ascii: "/")
        var output: [UInt8] = []
        output.reserveCapacity(AuthLimits.algorithm.utf8.count + timestamp.utf8.count + 40 + 2 * SHA256.byteCount + 8)
        output.append(contentsOf: AuthLimits.algorithm.utf8)
        output.append(newline)
        output.append(contentsOf: timestamp.utf8)
        output.append(newline)
        output.append(contentsOf: scopeDate.utf8)
        output.append(slash)
        output.append(contentsOf: region.utf8)
        output.append(slash)
        output.append(contentsOf: service.utf8)
        output.append(slash)
        output.append(contentsOf: AuthLimits.scopeTerminator.utf8)
        output.append(newline)
        var hasher = SHA256()
        canonicalBytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        URIEncoding.appendHex(hasher.finalize(), into: &output)
        return output
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
        var output: [UInt8] = []
        appendTrimmed(value, into: &output)
        return String(decoding: output, as: UTF8.self)
    }

    /// Appends a header value trimmed, each run of spaces or tabs inside made one space. A value
    /// with nothing to trim or collapse (the usual case) is appended whole.
    static func appendTrimmed(_ value: String, into output: inout [UInt8]) {
        var value = value
        value.withUTF8 { bytes in
            var afterSpace = true
            var plain = true
            for byte in bytes {
                if byte == 0x09 || (byte == 0x20 && afterSpace) {
                    plain = false
                    break
                }
                afterSpace = byte == 0x20
            }
            if plain && !(afterSpace && !bytes.isEmpty) {
                output.append(contentsOf: bytes)
                return
            }
            var pendingSpace = false
            var wrote = false
            for byte in bytes {
                if byte == 0x20 || byte == 0x09 {
                    pendingSpace = wrote
                } else {
                    if pendingSpace { output.append(0x20) }
                    pendingSpace = false
                    wrote = true
                    output.append(byte)
                }
            }
        }
    }
}
