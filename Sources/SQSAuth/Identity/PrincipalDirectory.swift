import Crypto
import Synchronization

/// Every principal sqslite knows and every key that signs for one: the config's static keys, and
/// the temporary keys of role sessions (a function running with a role gets one, as Lambda's
/// execution environment does).
///
/// Lookups take a `Mutex` briefly; sessions are added while the server runs.
public final class PrincipalDirectory: Sendable {
    private let principals: [PrincipalDefinition]
    private let credentials: Mutex<[String: SigningCredential]>

    /// Builds the directory.
    /// - Throws: ``AuthConfigurationError`` for a duplicate principal or access key, or a key
    ///   without its secret.
    public init(_ principals: [PrincipalDefinition]) throws(AuthConfigurationError) {
        var keys: [String: SigningCredential] = [:]
        var names: Set<String> = []
        for principal in principals {
            guard names.insert("\(principal.account)/\(principal.type.rawValue)/\(principal.name)").inserted else {
                throw AuthConfigurationError("\(principal.type.rawValue) \(principal.name) is defined twice in account \(principal.account)")
            }
            switch (principal.accessKeyID, principal.secretAccessKey) {
            case (nil, nil):
                continue
            case (let key?, let secret?) where !key.isEmpty && !secret.isEmpty:
                guard keys[key] == nil else { throw AuthConfigurationError("access key \(key) belongs to two principals") }
                keys[key] = SigningCredential(accessKeyID: key, secretAccessKey: secret, caller: Self.caller(of: principal, session: principal.name))
            default:
                throw AuthConfigurationError("\(principal.name): accessKeyId and secretAccessKey go together")
            }
        }
        self.principals = principals
        self.credentials = Mutex(keys)
    }

    /// The credential of an access key id, or `nil` when unknown.
    public func credential(for accessKeyID: String) -> SigningCredential? {
        credentials.withLock { $0[accessKeyID] }
    }

    /// The principal with a name (and type, when given).
    public func principal(named name: String, type: PrincipalDefinition.PrincipalType? = nil) -> PrincipalDefinition? {
        principals.first { $0.name == name && (type == nil || $0.type == type) }
    }

    /// Starts a session of a role and returns its temporary credentials: an `ASIA…` key, a secret
    /// and a session token, valid while the server runs.
    /// - Throws: ``AuthConfigurationError`` when there is no such role.
    public func startSession(role: String, session: String) throws(AuthConfigurationError) -> SigningCredential {
        guard let definition = principal(named: role, type: .role) else {
            throw AuthConfigurationError("there is no role \(role) in auth.principals")
        }
        let credential = SigningCredential(
            accessKeyID: "ASIA" + Self.random(16, from: Self.keyAlphabet), secretAccessKey: Self.random(40, from: Self.secretAlphabet),
            sessionToken: Self.random(356, from: Self.secretAlphabet), caller: Self.caller(of: definition, session: session))
        credentials.withLock { $0[credential.accessKeyID] = credential }
        return credential
    }

    /// The caller a principal's key (or a session of a role) signs as.
    public static func caller(of principal: PrincipalDefinition, session: String) -> Caller {
        switch principal.type {
        case .user:
            return Caller(
                kind: .user(name: principal.name), account: principal.account, userID: uniqueID("AIDA", principal), policies: principal.policies)
        case .role:
            return Caller(
                kind: .assumedRole(role: principal.name, session: session), account: principal.account,
                userID: "\(uniqueID("AROA", principal)):\(session)", policies: principal.policies)
        }
    }

    /// IAM's unique id of a principal (`AIDA…`, `AROA…`): derived from its ARN, so it stays the
    /// same across restarts.
    static func uniqueID(_ prefix: String, _ principal: PrincipalDefinition) -> String {
        let digest = Array(SHA256.hash(data: Array(principal.arn.utf8)))
        return prefix + String(decoding: digest.prefix(17).map { keyAlphabet[Int($0) % keyAlphabet.count] }, as: UTF8.self)
    }

    private static let keyAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)
    private static let secretAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static func random(_ count: Int, from alphabet: [UInt8]) -> String {
        var generator = SystemRandomNumberGenerator()
        return String(decoding: (0..<count).map { _ in alphabet[Int(generator.next(upperBound: UInt64(alphabet.count)))] }, as: UTF8.self)
    }
}
