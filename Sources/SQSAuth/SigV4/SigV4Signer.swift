import Crypto

/// Signs requests with SigV4 as the SDKs do (header signing), for tests, benchmarks and tools
/// written in Swift.
public enum SigV4Signer {
    /// The headers to add to a request so it carries a valid signature: `X-Amz-Date`,
    /// `X-Amz-Security-Token` when there is a session token, and `Authorization`.
    /// - Parameters:
    ///   - headers: The request's headers, `Host` included; all of them are signed. An
    ///     `x-amz-content-sha256` header (e.g. `UNSIGNED-PAYLOAD`) is the payload hash signed.
    ///   - timestamp: Seconds since 1970.
    public static func sign(
        method: String, uri: String, headers: [(name: String, value: String)], body: [UInt8], credential: SigningCredential,
        region: String, service: String, timestamp: Int64
    ) -> [(name: String, value: String)] {
        let date = AMZDate.format(timestamp)
        var added: [(name: String, value: String)] = [("X-Amz-Date", date)]
        if let token = credential.sessionToken { added.append(("X-Amz-Security-Token", token)) }
        let all = SigV4HeaderList(headers + added)
        let names = Set(all.fields.map { $0.name.lowercased() }).sorted()
        let signedText = names.joined(separator: ";")
        let request = SigV4Request(method: method, uri: uri, headers: all)
        let canonical = CanonicalRequest.build(
            method: method, path: request.path, queryPairs: CanonicalRequest.queryPairs(request.query), headers: all,
            signedHeaders: names.map { Substring($0) }, signedHeadersText: Substring(signedText),
            payloadHash: all.sigV4Values("x-amz-content-sha256").first ?? CanonicalRequest.hexSHA256(body))
        let scope = "\(date.prefix(8))/\(region)/\(service)/\(AuthLimits.scopeTerminator)"
        let stringToSign = CanonicalRequest.stringToSign(timestamp: date, scope: scope, canonicalRequest: canonical)
        let signature = Self.signature(
            stringToSign: stringToSign, secret: credential.secretAccessKey, date: date.prefix(8), region: region, service: service)
        added.append(
            ("Authorization", "\(AuthLimits.algorithm) Credential=\(credential.accessKeyID)/\(scope), SignedHeaders=\(signedText), Signature=\(signature)"))
        return added
    }

    /// The hex signature of a string to sign (the signing key derived from the secret and scope).
    public static func signature(stringToSign: String, secret: String, date: Substring, region: String, service: String) -> String {
        let key = SigningKeyCache.derive(secret: secret, date: date, region: region[...], service: service[...])
        return URIEncoding.hex(HMAC<SHA256>.authenticationCode(for: Array(stringToSign.utf8), using: key))
    }
}
