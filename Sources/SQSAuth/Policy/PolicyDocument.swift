/// An IAM policy document: an identity policy (a user's or role's) or a resource policy (a queue's
/// `Policy` attribute).
///
/// ```json
/// {"Version": "2012-10-17", "Statement": [
///   {"Effect": "Allow", "Action": ["sqs:SendMessage", "sqs:GetQueueUrl"], "Resource": "arn:aws:sqs:us-east-1:000000000000:ChatAPP"}]}
/// ```
public struct PolicyDocument: Sendable, Equatable {
    /// Identity policies must not name principals and must name resources; resource policies name
    /// principals.
    public enum Kind: Sendable {
        case identity
        case resource
    }

    /// The `Version` (`2012-10-17` or `2008-10-17`).
    public let version: String?
    /// The statements.
    public let statements: [PolicyStatement]
    /// Whether evaluating the document reads the request's context: it has conditions, or policy
    /// variables in its resources (worked out once, at parsing).
    let readsContext: Bool

    /// Whether `${…}` policy variables are replaced (only in version 2012-10-17).
    var hasVariables: Bool { version == "2012-10-17" }

    /// Parses a document, strictly (a config file's identity policy: every problem is reported).
    /// - Throws: ``PolicyError`` naming the problem, as IAM's `MalformedPolicyDocument` would.
    public init(json: String, kind: Kind) throws(PolicyError) {
        guard let value = PolicyJSON.parse(json) else { throw PolicyError("the policy is not valid JSON") }
        try self.init(value, kind: kind, strict: true)
    }

    /// Parses a resource policy leniently, as a queue's `Policy` attribute is read for each request:
    /// statements that cannot be read are left out; `nil` when the text is not a policy at all.
    public static func lenient(_ json: String) -> PolicyDocument? {
        guard let value = PolicyJSON.parse(json) else { return nil }
        return try? PolicyDocument(value, kind: .resource, strict: false)
    }

    init(_ value: PolicyJSON, kind: Kind, strict: Bool) throws(PolicyError) {
        guard case .object(let fields) = value else { throw PolicyError("a policy must be a JSON object") }
        var version: String?
        if let value = fields["Version"] {
            guard case .string(let text) = value, ["2012-10-17", "2008-10-17"].contains(text) else {
                throw PolicyError("Version must be \"2012-10-17\" or \"2008-10-17\"")
            }
            version = text
        }
        let list: [PolicyJSON]
        switch fields["Statement"] {
        case .array(let items)?: list = items
        case .object(let item)?: list = [.object(item)]
        default: throw PolicyError("a policy needs a Statement (a statement or a list of them)")
        }
        var statements: [PolicyStatement] = []
        for (index, item) in list.enumerated() {
            do {
                statements.append(try Self.statement(item, kind: kind))
            } catch {
                if strict { throw PolicyError("Statement[\(index)]: \(error.message)") }
            }
        }
        self.version = version
        self.statements = statements
        let variables = version == "2012-10-17"
        self.readsContext = statements.contains { statement in
            !statement.conditions.isEmpty || (variables && statement.resources?.contains { $0.contains("${") } == true)
        }
    }

    private static func statement(_ value: PolicyJSON, kind: Kind) throws(PolicyError) -> PolicyStatement {
        guard case .object(let fields) = value else { throw PolicyError("a statement must be an object") }
        let known: Set<String> = [
            "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource", "Condition",
        ]
        if let unknown = fields.keys.sorted().first(where: { !known.contains($0) }) {
            throw PolicyError("unknown element \(unknown)")
        }
        guard case .string(let effectText)? = fields["Effect"], let effect = PolicyStatement.Effect(rawValue: effectText) else {
            throw PolicyError("Effect must be Allow or Deny")
        }
        var sid: String?
        if let value = fields["Sid"] {
            guard case .string(let text) = value else { throw PolicyError("Sid must be a string") }
            sid = text
        }
        let (actions, actionsNegated) = try pick(fields, "Action", "NotAction", required: true)
        let (resourceList, resourcesNegated) = try pick(fields, "Resource", "NotResource", required: kind == .identity)
        var principals: PolicyPrincipals?
        var principalsNegated = false
        if let value = fields["Principal"] ?? fields["NotPrincipal"] {
            guard kind == .resource else { throw PolicyError("an identity policy must not name a Principal") }
            guard fields["Principal"] == nil || fields["NotPrincipal"] == nil else {
                throw PolicyError("a statement has either Principal or NotPrincipal")
            }
            guard let parsed = PolicyPrincipals.parse(value) else { throw PolicyError("Principal must be \"*\" or {\"AWS\": …, \"Service\": …}") }
            principals = parsed
            principalsNegated = fields["NotPrincipal"] != nil
        } else if kind == .resource {
            throw PolicyError("a resource policy's statement needs a Principal")
        }
        var conditions: [PolicyCondition] = []
        if let value = fields["Condition"] {
            guard case .object(let operators) = value else { throw PolicyError("Condition must be an object") }
            for (name, keys) in operators.sorted(by: { $0.key < $1.key }) {
                guard case .object(let entries) = keys else { throw PolicyError("Condition \(name) must map keys to values") }
                for (key, values) in entries.sorted(by: { $0.key < $1.key }) {
                    guard let texts = values.textList else { throw PolicyError("Condition \(name) \(key): expected a value or a list of values") }
                    guard let condition = PolicyCondition(operator: name, key: key, values: texts) else {
                        throw PolicyError("unknown condition operator \(name)")
                    }
                    conditions.append(condition)
                }
            }
        }
        return PolicyStatement(
            sid: sid, effect: effect, principals: principals, principalsNegated: principalsNegated, actions: actions ?? [],
            actionsNegated: actionsNegated, resources: resourceList, resourcesNegated: resourcesNegated, conditions: conditions)
    }

    /// One of an element and its `Not…` form, as a list of strings.
    private static func pick(_ fields: [String: PolicyJSON], _ name: String, _ negated: String, required: Bool) throws(PolicyError) -> (
        [String]?, Bool
    ) {
        switch (fields[name], fields[negated]) {
        case (nil, nil):
            if required { throw PolicyError("a statement needs \(name) or \(negated)") }
            return (nil, false)
        case (let value?, nil), (nil, let value?):
            guard let texts = value.textList, !texts.isEmpty else { throw PolicyError("\(name) must be a string or a list of strings") }
            return (texts, fields[negated] != nil)
        default:
            throw PolicyError("a statement has either \(name) or \(negated), not both")
        }
    }
}
