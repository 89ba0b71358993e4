/// A resource policy's `Principal` (or `NotPrincipal`) element: `"*"`, or AWS accounts, users,
/// roles and role sessions (`{"AWS": …}`) and service principals (`{"Service": …}`).
public struct PolicyPrincipals: Sendable, Equatable {
    /// `"*"` or `{"AWS": "*"}`: anyone.
    var anyone: Bool
    /// The `AWS` entries: account ids, `arn:aws:iam::<account>:root`, user and role ARNs,
    /// `arn:aws:sts::<account>:assumed-role/<role>/<session>`.
    var aws: [String]
    /// The `Service` entries, e.g. `sns.amazonaws.com`.
    var services: [String]

    /// How a principal element names a caller.
    enum Match: Sendable, Equatable, Comparable {
        /// Not at all.
        case none
        /// Through the caller's account (`<account>` or `…:root`): the account must still allow it
        /// through an identity policy.
        case account
        /// By name, or `*`: enough on its own within an account.
        case direct
    }

    /// Parses the element.
    static func parse(_ value: PolicyJSON) -> PolicyPrincipals? {
        if case .string("*") = value { return PolicyPrincipals(anyone: true, aws: [], services: []) }
        guard case .object(let fields) = value else { return nil }
        var principals = PolicyPrincipals(anyone: false, aws: [], services: [])
        for (name, entry) in fields {
            guard let texts = entry.textList else { return nil }
            switch name {
            case "AWS":
                if texts.contains("*") { principals.anyone = true }
                principals.aws += texts.filter { $0 != "*" }
            case "Service":
                principals.services += texts
            default:
                // Federated and CanonicalUser principals never match a sqslite caller.
                continue
            }
        }
        return principals
    }

    /// How this element names `caller`.
    func match(_ caller: Caller) -> Match {
        if case .service(let name) = caller.kind {
            return anyone || services.contains(name) ? .direct : .none
        }
        if anyone { return .direct }
        var best = Match.none
        for entry in aws {
            if entry == caller.principalARN || entry == caller.arn { return .direct }
            if entry == caller.account || entry == "arn:aws:iam::\(caller.account):root" {
                best = caller.kind == .root ? .direct : .account
            }
        }
        return best
    }
}
