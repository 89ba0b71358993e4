import Crypto
import Synchronization

/// The derived SigV4 signing keys (four HMACs each), kept per access key, day, region and service so
/// that a request costs one HMAC of its string to sign.
///
/// A `Mutex` guards the dictionary; the HMACs run outside it. When it holds
/// ``AuthLimits/signingKeyCacheSize`` keys it starts over (old days are never asked for again).
final class SigningKeyCache: Sendable {
    private let keys = Mutex<[String: SymmetricKey]>([:])

    /// The signing key for a secret and scope, derived once.
    func key(secret: String, accessKey: String, date: Substring, region: Substring, service: Substring) -> SymmetricKey {
        let name = "\(accessKey)/\(date)/\(region)/\(service)"
        if let key = keys.withLock({ $0[name] }) { return key }
        let key = Self.derive(secret: secret, date: date, region: region, service: service)
        keys.withLock { keys in
            if keys.count >= AuthLimits.signingKeyCacheSize { keys.removeAll(keepingCapacity: true) }
            keys[name] = key
        }
        return key
    }

    /// `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request")`.
    static func derive(secret: String, date: Substring, region: Substring, service: Substring) -> SymmetricKey {
        var key = SymmetricKey(data: Array("AWS4\(secret)".utf8))
        for part in [String(date), String(region), String(service), AuthLimits.scopeTerminator] {
            key = SymmetricKey(data: Array(HMAC<SHA256>.authenticationCode(for: Array(part.utf8), using: key)))
        }
        return key
    }
}
