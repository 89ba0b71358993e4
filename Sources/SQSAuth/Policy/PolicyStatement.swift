/// One statement of a policy: an effect, the actions and resources it covers (or, with `NotAction`
/// and `NotResource`, everything but them), the principals of a resource policy, and conditions.
public struct PolicyStatement: Sendable, Equatable {
    /// `Allow` or `Deny`.
    public enum Effect: String, Sendable, Equatable {
        case allow = "Allow"
        case deny = "Deny"
    }

    /// The `Sid`, if any.
    public var sid: String?
    /// Allow or deny.
    public var effect: Effect
    /// The `Principal` (or `NotPrincipal`) element; `nil` in identity policies.
    var principals: PolicyPrincipals?
    /// Whether the element was `NotPrincipal`.
    var principalsNegated = false
    /// The action patterns, e.g. `sqs:Send*` (matched without case).
    var actions: [String]
    /// Whether the element was `NotAction`.
    var actionsNegated = false
    /// The resource patterns; `nil` when the statement has no `Resource` (a resource policy's
    /// statement then covers the resource it is attached to).
    var resources: [String]?
    /// Whether the element was `NotResource`.
    var resourcesNegated = false
    /// The conditions, all of which must hold.
    var conditions: [PolicyCondition]

    /// Whether the statement covers an action.
    func covers(action: String) -> Bool {
        let matched = actions.contains { $0 == "*" || WildcardPattern.matches($0[...], action[...], ignoringCase: true) }
        return matched != actionsNegated
    }

    /// Whether the statement covers a resource; variables in the patterns are replaced when
    /// `variables` (policy version 2012-10-17).
    func covers(resource: String, context: [String: [String]], variables: Bool) -> Bool {
        guard let resources else { return true }
        let matched = resources.contains { pattern in
            if pattern == "*" { return true }
            guard let pattern = variables ? PolicyVariables.substitute(pattern, context) : pattern else { return false }
            return WildcardPattern.matches(pattern[...], resource[...])
        }
        return matched != resourcesNegated
    }

    /// Whether every condition holds.
    func conditionsHold(_ context: [String: [String]], variables: Bool) -> Bool {
        conditions.allSatisfy { $0.holds(in: context, variables: variables) }
    }

    /// How the statement's principal element names a caller (always `.direct` for an identity
    /// policy's statement, which has none).
    func principalMatch(_ caller: Caller) -> PolicyPrincipals.Match {
        guard let principals else { return .direct }
        let match = principals.match(caller)
        if principalsNegated { return match == .none ? .direct : .none }
        return match
    }
}
