import SQSAuth

/// The config file's `auth:` section: whether authentication is on, and the IAM users and roles
/// (with their keys and identity policies).
///
/// ```yaml
/// auth:
///   enabled: true
///   principals:
///     - name: chat-sender
///       type: user                 # user | role
///       account: "000000000000"    # default: --account-id
///       accessKeyId: AKIAEXAMPLESENDER01
///       secretAccessKey: sender-secret
///       policies:                  # IAM policy documents, as YAML or as a JSON string
///         - Version: "2012-10-17"
///           Statement:
///             - {Effect: Allow, Action: ["sqs:SendMessage"], Resource: "arn:aws:sqs:us-east-1:000000000000:ChatAPP"}
/// ```
public struct AuthDefinition: Sendable {
    /// `enabled:`; `nil` when the file does not say (then `--auth` decides).
    public var enabled: Bool?
    /// The principals; an empty `account` means the server's `--account-id`.
    public var principals: [PrincipalDefinition]
    /// The line of `auth:`.
    public var line: Int

    /// Creates a definition.
    public init(enabled: Bool? = nil, principals: [PrincipalDefinition] = [], line: Int = 0) {
        self.enabled = enabled
        self.principals = principals
        self.line = line
    }
}
