/// Who made a request, once its signature checked out: what policies see and what
/// `sts:GetCallerIdentity` answers.
public struct Caller: Sendable, Equatable {
    /// The kinds of caller.
    public enum Kind: Sendable, Equatable {
        /// An IAM user.
        case user(name: String)
        /// A session of an IAM role (`arn:aws:sts::<account>:assumed-role/<role>/<session>`).
        case assumedRole(role: String, session: String)
        /// An account's root user; also who the caller is when authentication is off.
        case root
        /// An AWS service acting on its own (a resource policy's `{"Service": "sns.amazonaws.com"}`).
        case service(String)
    }

    /// What kind of caller.
    public var kind: Kind
    /// The 12-digit account.
    public var account: String
    /// The unique id `GetCallerIdentity` reports: `AIDA…` for a user, `AROA…:<session>` for a role
    /// session, the account for root.
    public var userID: String
    /// The identity policies that apply (the user's or the role's).
    public var policies: [PolicyDocument]

    /// Creates a caller.
    public init(kind: Kind, account: String, userID: String, policies: [PolicyDocument] = []) {
        self.kind = kind
        self.account = account
        self.userID = userID
        self.policies = policies
    }

    /// The root user of an account (who everyone is with authentication off).
    public static func root(account: String) -> Caller {
        Caller(kind: .root, account: account, userID: account)
    }

    /// An AWS service principal, e.g. `sns.amazonaws.com`.
    public static func service(_ name: String) -> Caller {
        Caller(kind: .service(name), account: "", userID: name)
    }

    /// The ARN `GetCallerIdentity` reports and denials name.
    public var arn: String {
        switch kind {
        case .user(let name): "arn:aws:iam::\(account):user/\(name)"
        case .assumedRole(let role, let session): "arn:aws:sts::\(account):assumed-role/\(role)/\(session)"
        case .root: "arn:aws:iam::\(account):root"
        case .service(let name): name
        }
    }

    /// The principal ARN resource policies name: the user's, or the role's (not the session's).
    public var principalARN: String {
        switch kind {
        case .assumedRole(let role, _): "arn:aws:iam::\(account):role/\(role)"
        default: arn
        }
    }

    /// `aws:PrincipalType`: `User`, `AssumedRole`, `Account` or `Service`.
    public var principalType: String {
        switch kind {
        case .user: "User"
        case .assumedRole: "AssumedRole"
        case .root: "Account"
        case .service: "Service"
        }
    }
}
