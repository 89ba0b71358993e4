/// A secret that signs requests: a principal's static access key, or a role session's temporary one.
public struct SigningCredential: Sendable, Equatable {
    /// The access key id (`AKIA…` static, `ASIA…` temporary).
    public var accessKeyID: String
    /// The secret access key.
    public var secretAccessKey: String
    /// The session token temporary credentials carry (`X-Amz-Security-Token`), else `nil`.
    public var sessionToken: String?
    /// Who signs with it.
    public var caller: Caller

    /// Creates a credential.
    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil, caller: Caller) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
        self.caller = caller
    }
}
