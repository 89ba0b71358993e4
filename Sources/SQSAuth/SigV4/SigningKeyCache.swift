import Crypto
import Synchronization

/// The derived SigV4 signing keys (four HMACs each), kept per access key, day, region and service,
/// as an HMAC already keyed with them, so that a request costs one HMAC of its string to sign.
///
/// A `Mutex` guards the dictionary; the HMACs run outside it. When it holds
/// ``AuthLimits/signingKeyCacheSize`` keys it starts over (old days are never asked for again).
final class SigningKeyCache: Sendable {
    private struct State {
        var macs: [String: KeyedHMAC] = [:]
        /// The scope asked for last and its HMAC: a client signs every request of a day with the same
        /// scope, so most requests are answered without building the dictionary's key.
        var last: (accessKey: String, date: String, region: String, service: String, mac: KeyedHMAC)?
    }

    private let state = Mutex(State())

    /// The HMAC under the signing key of a secret and scope (derived once).
    func mac(secret: String, accessKey: String, date: Substring, region: Substring, service: Substring) -> KeyedHMAC {
        let cached: KeyedHMAC? = state.withLock { state in
            if let last = state.last, last.accessKey == accessKey, last.date == date, last.region == region, last.service == service {
                return last.mac
            }
            guard let mac = state.macs[Self.name(accessKey, date, region, service)] else { return nil }
            state.last = (accessKey, String(date), String(region), String(service), mac)
            return mac
        }
        if let cached { return cached }
        let mac = KeyedHMAC(key: Self.derive(secret: secret, date: date, region: region, service: service))
        state.withLock { state in
            if state.macs.count >= AuthLimits.signingKeyCacheSize { state.macs.removeAll(keepingCapacity: true) }
            state.macs[Self.name(accessKey, date, region, service)] = mac
            state.last = (accessKey, String(date), String(region), String(service), mac)
        }
        return mac
    }

    private static func name(_ accessKey: String, _ date: Substring, _ region: Substring, _ service: Substring) -> String {
        "\(accessKey)/\(date)/\(region)/\(service)"
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
