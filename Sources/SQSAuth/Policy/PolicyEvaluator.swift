/// IAM's evaluation logic for one account or across two:
///
/// 1. an explicit `Deny` in any applicable statement (identity or resource policy) denies;
/// 2. within the resource's account, an `Allow` in the caller's identity policies, or in the
///    resource policy for that caller (by name or `*`), allows; a resource policy that names only
///    the caller's account (`<account>`, `…:root`) leaves the decision to the identity policies;
/// 3. across accounts, both the resource policy (naming the caller or its account) and the
///    caller's identity policies must allow;
/// 4. otherwise the request is implicitly denied.
///
/// The account's root user may do anything in its own account; a service principal (e.g.
/// `sns.amazonaws.com`) only what a resource policy allows it.
public enum PolicyEvaluator {
    /// Evaluates a request against the caller's identity policies and the resource's policy.
    public static func evaluate(_ request: AuthorizationRequest, resourcePolicy: PolicyDocument?, now: Int64) -> AccessDecision {
        let caller = request.caller
        // The context keys are only read by conditions and policy variables: most policies have neither.
        let readsContext = caller.policies.contains(where: \.readsContext) || resourcePolicy?.readsContext == true
        let context = readsContext ? Self.context(for: request, now: now) : [:]
        var identityAllows = false
        for document in caller.policies {
            for statement in document.statements where applies(statement, request, context, document.hasVariables) {
                if statement.effect == .deny { return .deny(.explicitIdentityDeny) }
                identityAllows = true
            }
        }
        var resourceMatch = PolicyPrincipals.Match.none
        if let resourcePolicy {
            for statement in resourcePolicy.statements where applies(statement, request, context, resourcePolicy.hasVariables) {
                let match = statement.principalMatch(caller)
                guard match != .none else { continue }
                if statement.effect == .deny { return .deny(.explicitResourceDeny) }
                resourceMatch = max(resourceMatch, match)
            }
        }
        switch caller.kind {
        case .service:
            return resourceMatch == .direct ? .allow : .deny(.noResourcePolicy)
        case .root where request.resourceAccount == nil || request.resourceAccount == caller.account:
            return .allow
        default:
            break
        }
        if let owner = request.resourceAccount, owner != caller.account {
            guard resourceMatch != .none else { return .deny(.noResourcePolicy) }
            return identityAllows || caller.kind == .root ? .allow : .deny(.noIdentityPolicy)
        }
        return identityAllows || resourceMatch == .direct ? .allow : .deny(.noIdentityPolicy)
    }

    private static func applies(_ statement: PolicyStatement, _ request: AuthorizationRequest, _ context: [String: [String]], _ variables: Bool) -> Bool {
        statement.covers(action: request.action) && statement.covers(resource: request.resource, context: context, variables: variables)
            && statement.conditionsHold(context, variables: variables)
    }

    /// The request's context keys (lower-cased): the caller's, the time, then the request's own.
    static func context(for request: AuthorizationRequest, now: Int64) -> [String: [String]] {
        let caller = request.caller
        var context: [String: [String]] = [
            "aws:principalarn": [caller.principalARN], "aws:principalaccount": [caller.account], "aws:userid": [caller.userID],
            "aws:principaltype": [caller.principalType], "aws:currenttime": [AMZDate.iso8601(now)], "aws:epochtime": [String(now)],
        ]
        if case .user(let name) = caller.kind { context["aws:username"] = [name] }
        if case .service(let name) = caller.kind {
            context["aws:principalservicename"] = [name]
            context["aws:principalarn"] = nil
            context["aws:principalaccount"] = nil
        }
        for (key, values) in request.context {
            context[key.lowercased()] = values
        }
        return context
    }
}
