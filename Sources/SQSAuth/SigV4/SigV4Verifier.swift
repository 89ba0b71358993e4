import Crypto

/// Checks an AWS Signature Version 4 the way AWS does: a signed `Authorization` header or a
/// presigned query string (`X-Amz-Algorithm`, `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`,
/// `X-Amz-SignedHeaders`, `X-Amz-Signature`), the credential scope, session tokens, the 15-minute
/// clock skew, and the payload hash (`x-amz-content-sha256`, `UNSIGNED-PAYLOAD`).
///
/// Each failure is AWS's (see ``AuthFailure``). Derived signing keys are cached, so a request
/// costs two SHA-256s (body and canonical request) and one HMAC.
///
/// ```swift
/// let credential = try verifier.verify(request, service: "sqs", now: clock.seconds, lookup: directory.credential(for:)) {
///     CanonicalRequest.hexSHA256(body)
/// }
/// ```
public struct SigV4Verifier: Sendable {
    private let keys = SigningKeyCache()

    /// Creates a verifier (with its own signing-key cache).
    public init() {}

    /// The parts of a signature, from the `Authorization` header or the query string.
    struct Signature {
        var accessKey: Substring
        var scopeDate: Substring
        var region: Substring
        var service: Substring
        var terminator: Substring
        var signedHeadersText: Substring
        var signature: Substring
        var timestamp: String
        var seconds: Int64
        var expires: Int64?
        var securityToken: String?
        var presigned: Bool
    }

    /// Verifies a request's signature.
    /// - Parameters:
    ///   - request: The method, path, query and headers.
    ///   - service: The signing name the endpoint answers to (`sqs`, `lambda`, `logs`, `sts`).
    ///   - now: The server's clock, seconds since 1970.
    ///   - lookup: The credential of an access key id, or `nil` when unknown.
    ///   - payloadHash: The lower-case hex SHA-256 of the body (called only when the payload is signed).
    /// - Returns: Who signed the request (the credential's caller) and the region of its scope.
    /// - Throws: ``AuthFailure`` with AWS's code and message.
    public func verify<Headers: SigV4Headers>(
        _ request: SigV4Request<Headers>, service: String, now: Int64, lookup: (String) -> SigningCredential?,
        payloadHash: () -> String
    ) throws(AuthFailure) -> Authentication {
        let queryPairs = CanonicalRequest.queryPairs(request.query)
        let signature: Signature
        if let header = request.first("authorization") {
            signature = try Self.parseHeader(header, request: request)
        } else if let presigned = try Self.parsePresigned(queryPairs) {
            signature = presigned
        } else {
            throw .missingAuthenticationToken
        }
        if signature.terminator != AuthLimits.scopeTerminator { throw .wrongTerminator(String(signature.terminator)) }
        if signature.service != service { throw .wrongService(service) }
        if !Self.isRegionName(signature.region) { throw .wrongRegion(String(signature.region)) }
        guard let credential = lookup(String(signature.accessKey)) else { throw .invalidClientTokenId }
        if credential.sessionToken != signature.securityToken { throw .invalidClientTokenId }
        let requestDate = signature.timestamp.prefix(8)
        if signature.scopeDate != requestDate {
            throw .scopeDateMismatch(scopeDate: String(signature.scopeDate), requestDate: String(requestDate), timestamp: signature.timestamp)
        }
        try Self.checkTime(signature, now: now)
        let signedHeaders = signature.signedHeadersText.utf8.split(separator: UInt8(ascii: ";")).map(Substring.init)
        if !signedHeaders.contains("host") { throw .hostNotSigned }
        let declared = request.first("x-amz-content-sha256")
        let payload = declared == AuthLimits.unsignedPayload ? AuthLimits.unsignedPayload : payloadHash()
        let canonical = CanonicalRequest.bytes(
            method: request.method, path: request.path, queryPairs: queryPairs, excludingQuery: signature.presigned ? "X-Amz-Signature" : nil,
            headers: request.headers, signedHeaders: signedHeaders, signedHeadersText: signature.signedHeadersText, payloadHash: payload)
        let stringToSign = CanonicalRequest.stringToSign(
            timestamp: signature.timestamp, scopeDate: signature.scopeDate, region: signature.region, service: signature.service,
            canonicalBytes: canonical)
        let mac = keys.mac(
            secret: credential.secretAccessKey, accessKey: credential.accessKeyID, date: signature.scopeDate, region: signature.region,
            service: signature.service)
        let code = stringToSign.withUnsafeBytes { mac.code($0) }
        guard Self.matches(code, hex: signature.signature) else {
            throw .signatureDoesNotMatch(
                canonicalRequest: String(decoding: canonical, as: UTF8.self), stringToSign: String(decoding: stringToSign, as: UTF8.self))
        }
        return Authentication(caller: credential.caller, region: String(signature.region))
    }

    // MARK: - Parsing

    /// The parts of an `Authorization` header, found by ``AuthorizationScan`` over its bytes.
    private static func parseHeader<Headers>(_ header: String, request: SigV4Request<Headers>) throws(AuthFailure) -> Signature {
        let scan =
            header.utf8.withContiguousStorageIfAvailable(AuthorizationScan.init)
            ?? Array(header.utf8).withUnsafeBufferPointer(AuthorizationScan.init)
        /// The bytes `range` of the header as a substring (O(1) on a native string's UTF-8 view).
        func text(_ range: Range<Int>) -> Substring {
            let bytes = header.utf8
            return Substring(bytes[bytes.index(bytes.startIndex, offsetBy: range.lowerBound)..<bytes.index(bytes.startIndex, offsetBy: range.upperBound)])
        }
        let algorithm = text(scan.algorithm)
        var credential: Substring?
        var signedHeaders: Substring?
        var signatureValue: Substring?
        if algorithm == AuthLimits.algorithm {
            if let malformed = scan.malformedPair { throw .malformedPair(String(text(malformed)), header: header) }
            credential = scan.credential.map(text)
            signedHeaders = scan.signedHeaders.map(text)
            signatureValue = scan.signature.map(text)
        } else if algorithm.hasPrefix("AWS4-") {
            throw .unsupportedAlgorithm(String(algorithm))
        }
        var timestamp: String?
        var seconds: Int64?
        if let amzDate = request.first("x-amz-date") {
            guard let parsed = AMZDate.parse(Substring(amzDate)) else { throw Self.badDate(amzDate) }
            (timestamp, seconds) = (amzDate, parsed)
        } else if let date = request.first("date"), let parsed = AMZDate.parseHTTPDate(Substring(date)) {
            (timestamp, seconds) = (AMZDate.format(parsed), parsed)
        }
        var missing: [String] = []
        if credential == nil { missing.append(AuthFailure.MissingPart.credential) }
        if signatureValue == nil { missing.append(AuthFailure.MissingPart.signature) }
        if signedHeaders == nil { missing.append(AuthFailure.MissingPart.signedHeaders) }
        if timestamp == nil { missing.append(AuthFailure.MissingPart.date) }
        guard missing.isEmpty, let credential, let signedHeaders, let signatureValue, let timestamp, let seconds else {
            throw .incompleteAuthorization(missing: missing, header: header)
        }
        let scope = try Self.scope(credential)
        return Signature(
            accessKey: scope.accessKey, scopeDate: scope.date, region: scope.region, service: scope.service, terminator: scope.terminator,
            signedHeadersText: signedHeaders, signature: signatureValue, timestamp: timestamp, seconds: seconds, expires: nil,
            securityToken: request.first("x-amz-security-token"), presigned: false)
    }

    /// The names of a presigned URL's parameters.
    private enum Presign {
        static let algorithm = Array("X-Amz-Algorithm".utf8)
        static let credential = Array("X-Amz-Credential".utf8)
        static let date = Array("X-Amz-Date".utf8)
        static let expires = Array("X-Amz-Expires".utf8)
        static let signedHeaders = Array("X-Amz-SignedHeaders".utf8)
        static let signature = Array("X-Amz-Signature".utf8)
        static let securityToken = Array("X-Amz-Security-Token".utf8)
        static let missing =
            "AWS query-string parameters must include 'X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-Date', "
            + "'X-Amz-SignedHeaders'. Re-examine the query-string parameters."
    }

    /// The signature of a presigned URL; `nil` when the query string carries none.
    private static func parsePresigned(_ pairs: [CanonicalRequest.QueryPair]) throws(AuthFailure) -> Signature? {
        func value(_ name: [UInt8]) -> String? {
            pairs.first { $0.name == name }?.valueText
        }
        let algorithm = value(Presign.algorithm)
        let credential = value(Presign.credential)
        let signatureValue = value(Presign.signature)
        guard algorithm != nil || credential != nil || signatureValue != nil else { return nil }
        guard let algorithm, let credential, let signatureValue, let date = value(Presign.date),
            let signedHeaders = value(Presign.signedHeaders)
        else { throw AuthFailure(.incompleteSignature, Presign.missing) }
        guard algorithm == AuthLimits.algorithm else { throw .unsupportedAlgorithm(algorithm) }
        guard let seconds = AMZDate.parse(Substring(date)) else { throw Self.badDate(date) }
        var expires: Int64?
        if let text = value(Presign.expires) {
            guard let number = Int64(text), number >= 0, number <= AuthLimits.maxPresignExpirySeconds else { throw .invalidExpires }
            expires = number
        }
        let scope = try Self.scope(Substring(credential))
        return Signature(
            accessKey: scope.accessKey, scopeDate: scope.date, region: scope.region, service: scope.service, terminator: scope.terminator,
            signedHeadersText: Substring(signedHeaders), signature: Substring(signatureValue), timestamp: date, seconds: seconds,
            expires: expires, securityToken: value(Presign.securityToken), presigned: true)
    }

    /// The five parts of a credential (`<key>/<date>/<region>/<service>/aws4_request`), found by
    /// walking its bytes once (a `split` into an array was a tenth of the verifier's time).
    private static func scope(_ credential: Substring) throws(AuthFailure) -> Scope {
        var text = credential
        let slashes = text.withUTF8 { bytes -> (Int, Int, Int, Int)? in
            var found = (0, 0, 0, 0)
            var count = 0
            for index in 0..<bytes.count where bytes[index] == UInt8(ascii: "/") {
                switch count {
                case 0: found.0 = index
                case 1: found.1 = index
                case 2: found.2 = index
                case 3: found.3 = index
                default: return nil
                }
                count += 1
            }
            return count == 4 && found.0 > 0 ? found : nil
        }
        guard let slashes else { throw .malformedCredential(String(credential)) }
        let bytes = credential.utf8
        func at(_ offset: Int) -> Substring.Index { bytes.index(bytes.startIndex, offsetBy: offset) }
        return Scope(
            accessKey: credential[..<at(slashes.0)], date: credential[at(slashes.0 + 1)..<at(slashes.1)],
            region: credential[at(slashes.1 + 1)..<at(slashes.2)], service: credential[at(slashes.2 + 1)..<at(slashes.3)],
            terminator: credential[at(slashes.3 + 1)...])
    }

    /// The parts of a credential scope, slices of the credential.
    private struct Scope {
        var accessKey: Substring
        var date: Substring
        var region: Substring
        var service: Substring
        var terminator: Substring
    }

    private static func badDate(_ text: String) -> AuthFailure {
        AuthFailure(.incompleteSignature, "Date must be in ISO-8601 'basic format'. Got '\(text)'. See http://en.wikipedia.org/wiki/ISO_8601")
    }

    /// A region name: lower-case letters, digits and dashes.
    private static func isRegionName(_ region: Substring) -> Bool {
        !region.isEmpty
            && region.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == UInt8(ascii: "-") }
    }

    // MARK: - Checks

    /// The clock-skew check, and a presigned URL's expiry.
    private static func checkTime(_ signature: Signature, now: Int64) throws(AuthFailure) {
        let skew = AuthLimits.clockSkewSeconds
        if signature.seconds < now - skew {
            if signature.presigned, let expires = signature.expires, signature.seconds + expires >= now { return }
            throw .signatureExpired(date: signature.timestamp, earliest: AMZDate.format(now - skew), now: AMZDate.format(now))
        }
        if signature.seconds > now + skew {
            throw .signatureNotYetCurrent(date: signature.timestamp, latest: AMZDate.format(now + skew), now: AMZDate.format(now))
        }
        if signature.presigned, let expires = signature.expires, signature.seconds + expires < now { throw .requestExpired }
    }

    /// Constant-time comparison of a MAC with the hex signature sent (either case), byte by byte
    /// over the digest: no text is made for it.
    private static func matches(_ mac: SHA256Digest, hex: Substring) -> Bool {
        var hex = hex
        return mac.withUnsafeBytes { digest in
            hex.withUTF8 { given in
                guard given.count == digest.count * 2 else { return false }
                var difference: UInt8 = 0
                for (index, byte) in digest.enumerated() {
                    // A byte that is not a hex digit counts as 0xFF, which matches no nibble.
                    difference |= (URIEncoding.hexValue(given[2 * index]) ?? 0xFF) ^ (byte >> 4)
                    difference |= (URIEncoding.hexValue(given[2 * index + 1]) ?? 0xFF) ^ (byte & 0x0F)
                }
                return difference == 0
            }
        }
    }
}
