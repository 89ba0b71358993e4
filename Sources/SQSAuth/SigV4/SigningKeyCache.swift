import Crypto
import Synchronization

/// The derived SigV4 signing keys (four HMACs each), kept per access key, day, region and service,
/// as an HMAC already keyed with them, so that a request costs one HMAC of its string to sign.
///
/// A `Mutex` guards the dictionary; the HMACs run outside it. When it holds
/// ``AuthLimits/signingKeyCacheSize`` keys it starts over (old days are never asked for again).
final class SigningKeyCache: Sendable {
    private let macs = Mutex<[String: KeyedHMAC]>([:])

    /// The HMAC under the signing key of a secret and scope (derived once).
    func mac(secret: String, accessKey: String, date: Substring, region: Substring, service: Substring) -> KeyedHMAC {
        let name = "\(accessKey)/\(date)/\(region)/\(service)"
        if let mac = macs.withLock({ $0[name] }) { return mac }
        let mac = KeyedHMAC(key: Self.derive(secret: secret, date: date, region: region, service: service))
        macs.withLock { macs in
            if macs.count >= AuthLimits.signingKeyCacheSize { macs.removeAll(keepingCapacity: true) }
            macs[name] = mac
        }
        return mac
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
