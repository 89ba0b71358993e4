/// An IAM user or role as the config file declares it (`auth.principals`).
///
/// ```yaml
/// - name: chat-sender
///   type: user
///   account: "000000000000"
///   accessKeyId: AKIAEXAMPLESENDER01
///   secretAccessKey: sender-secret
///   policies: [...]
/// ```
public struct PrincipalDefinition: Sendable {
    /// `user` or `role`.
    public enum PrincipalType: String, Sendable, CaseIterable {
        case user
        case role
    }

    /// The user or role name.
    public var name: String
    /// User or role.
    public var type: PrincipalType
    /// The 12-digit account it belongs to.
    public var account: String
    /// A static access key id, if it has one (a role may have none: its sessions get temporary keys).
    public var accessKeyID: String?
    /// The static key's secret.
    public var secretAccessKey: String?
    /// Its identity policies.
    public var policies: [PolicyDocument]

    /// Creates a definition.
    public init(
        name: String, type: PrincipalType, account: String, accessKeyID: String? = nil, secretAccessKey: String? = nil,
        policies: [PolicyDocument] = []
    ) {
        self.name = name
        self.type = type
        self.account = account
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.policies = policies
    }

    /// Its ARN: `arn:aws:iam::<account>:user/<name>` or `…:role/<name>`.
    public var arn: String { "arn:aws:iam::\(account):\(type.rawValue)/\(name)" }
}
