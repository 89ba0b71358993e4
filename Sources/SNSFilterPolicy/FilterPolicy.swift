/// An SNS subscription filter policy, parsed and validated as SNS validates it, ready to be
/// evaluated against a message's attributes or its JSON body.
///
/// The syntax is AWS's: a key maps to an array of match expressions (exact strings, numbers,
/// `true`/`false`/`null`, `prefix`, `suffix`, `equals-ignore-case`, `anything-but` with a value,
/// a list or a `prefix`/`suffix`/`equals-ignore-case` pattern, `numeric` ranges, `exists`,
/// `cidr`), any of which may match; every key must match; `$or` lists alternative sets of keys;
/// with the `MessageBody` scope a key may map to an object of nested keys.
///
/// ```swift
/// let policy = try FilterPolicy(json: #"{"store": ["example_corp"], "price": [{"numeric": [">", 100]}]}"#, scope: .messageAttributes)
/// policy.matches(attributes: ["store": .init(dataType: "String", value: "example_corp"),
///                             "price": .init(dataType: "Number", value: "150")])   // true
/// ```
public struct FilterPolicy: Sendable, Equatable {
    /// What the policy looks at.
    public enum Scope: String, Sendable, CaseIterable {
        /// The message attributes (the default).
        case messageAttributes = "MessageAttributes"
        /// The message body, which must be a JSON object.
        case messageBody = "MessageBody"
    }

    /// A set of keys that must all match.
    struct Clause: Sendable, Equatable {
        /// Each key with its match expressions (a leaf) or a nested clause.
        var fields: [Field]
        /// `$or`: at least one of these clauses must match too.
        var alternatives: [[Clause]]
    }

    /// One key of a clause.
    struct Field: Sendable, Equatable {
        var key: String
        var conditions: [FilterCondition]?
        var nested: Clause?
    }

    let root: Clause
    /// The scope the policy was validated for.
    public let scope: Scope

    /// Parses and validates a policy.
    /// - Throws: ``FilterPolicyError`` worded as SNS's `InvalidParameter` reasons.
    public init(json: String, scope: Scope) throws(FilterPolicyError) {
        guard json.utf8.count <= FilterPolicyLimits.maximumSize else { throw .policy("Filter policy is too long") }
        guard let value = PolicyJSON.parse(json), case .object(let members) = value else {
            throw .policy("failed to parse JSON.")
        }
        if members.count > FilterPolicyLimits.maximumKeys {
            throw .policy("Filter policy can not have more than \(FilterPolicyLimits.maximumKeys) keys")
        }
        var combinations = 1
        let clause = try Self.clause(members, depth: 1, scope: scope, combinations: &combinations)
        if combinations > FilterPolicyLimits.maximumCombinations {
            throw .policy("Filter policy is too complex")
        }
        try Self.validateConditions(members)
        self.root = clause
        self.scope = scope
    }

    /// The structure of an object: keys, nesting and `$or`, counting the combinations as SNS does
    /// (the product of each array's length times its depth; `$or` branches add up).
    private static func clause(
        _ members: [(key: String, value: PolicyJSON)], depth: Int, scope: Scope, combinations: inout Int
    ) throws(FilterPolicyError) -> Clause {
        var clause = Clause(fields: [], alternatives: [])
        for (key, value) in members {
            switch value {
            case .object(let nested):
                guard scope == .messageBody else {
                    throw FilterPolicyError("Filter policy scope MessageAttributes does not support nested filter policy")
                }
                let inner = try Self.clause(nested, depth: depth + 1, scope: scope, combinations: &combinations)
                clause.fields.append(Field(key: key, conditions: nil, nested: inner))
            case .array(let elements):
                guard !elements.isEmpty else { throw .policy("Empty arrays are not allowed") }
                if key == "$or" {
                    var total = 0
                    var branches: [Clause] = []
                    for element in elements {
                        guard case .object(let branch) = element else { throw .policy("\"$or\" must be an object or an array") }
                        var branchCombinations = combinations
                        branches.append(try Self.clause(branch, depth: depth, scope: scope, combinations: &branchCombinations))
                        total += branchCombinations
                    }
                    combinations = total
                    clause.alternatives.append(branches)
                } else {
                    combinations = min(Int.max / 1024, combinations * elements.count * depth)
                    clause.fields.append(Field(key: key, conditions: Self.conditions(elements), nested: nil))
                }
            default:
                throw .policy("\"\(key)\" must be an object or an array")
            }
        }
        return clause
    }

    /// Checks every match expression (after the structure and the complexity, as SNS does) and
    /// fills in the parsed conditions.
    private static func validateConditions(_ members: [(key: String, value: PolicyJSON)]) throws(FilterPolicyError) {
        for (key, value) in members {
            switch value {
            case .object(let nested):
                try validateConditions(nested)
            case .array(let elements) where key == "$or":
                for case .object(let branch) in elements { try validateConditions(branch) }
            case .array(let elements):
                for element in elements { _ = try condition(element) }
            default:
                break
            }
        }
    }
}

extension FilterPolicy {
    /// The conditions of a key's array (validated already).
    static func conditions(_ elements: [PolicyJSON]) -> [FilterCondition] {
        elements.compactMap { try? condition($0) }
    }

    /// One match expression.
    static func condition(_ rule: PolicyJSON) throws(FilterPolicyError) -> FilterCondition {
        switch rule {
        case .null, .string, .bool, .number:
            return .exact(rule)
        case .array:
            throw .policy("Match value must be String, number, true, false, or null")
        case .object(let members):
            guard members.count == 1, let (operation, value) = members.first else {
                throw .policy("Only one key allowed in match expression")
            }
            switch operation {
            case "prefix", "suffix", "equals-ignore-case":
                guard case .string(let text) = value else { throw .policy("\(operation) match pattern must be a string") }
                return operation == "prefix" ? .prefix(text) : operation == "suffix" ? .suffix(text) : .equalsIgnoreCase(text)
            case "anything-but":
                return try anythingBut(value)
            case "exists":
                guard case .bool(let flag) = value else { throw .policy("exists match pattern must be either true or false.") }
                return .exists(flag)
            case "numeric":
                return .numeric(try numeric(value))
            case "cidr":
                guard case .string(let text) = value else { throw .policy("prefix match pattern must be a string") }
                return .cidr(try IPNetwork.parse(text))
            default:
                throw .policy("Unrecognized match type \(operation)")
            }
        }
    }

    private static func anythingBut(_ value: PolicyJSON) throws(FilterPolicyError) -> FilterCondition {
        switch value {
        case .string, .number:
            return .anythingBut([value])
        case .array(let elements):
            for element in elements {
                switch element {
                case .string, .number: continue
                default: throw .policy("Inside anything but list, start|null|boolean is not supported.")
                }
            }
            return .anythingBut(elements)
        case .object(let members):
            guard members.count == 1, let (operation, inner) = members.first else {
                throw .policy("Only one key allowed in match expression")
            }
            switch operation {
            case "prefix", "suffix":
                guard case .string(let text) = inner else { throw .policy("\(operation) match pattern must be a string") }
                return operation == "prefix" ? .anythingButPrefix(text) : .anythingButSuffix(text)
            case "equals-ignore-case":
                switch inner {
                case .string(let text): return .anythingButEqualsIgnoreCase([text])
                case .array(let elements):
                    var texts: [String] = []
                    for case .string(let text) in elements { texts.append(text) }
                    guard texts.count == elements.count, !texts.isEmpty else {
                        throw .policy("equals-ignore-case match pattern must be a string")
                    }
                    return .anythingButEqualsIgnoreCase(texts)
                default: throw .policy("equals-ignore-case match pattern must be a string")
                }
            default:
                throw .policy("Unsupported anything-but pattern: \(operation)")
            }
        default:
            throw .policy("Inside anything but list, start|null|boolean is not supported.")
        }
    }

    /// `["<", 10]`, `[">=", 0, "<", 100]` or `["=", 3]`.
    private static func numeric(_ value: PolicyJSON) throws(FilterPolicyError) -> [FilterCondition.NumericComparison] {
        guard case .array(let terms) = value, !terms.isEmpty else { throw .policy("Invalid member in numeric match: ]") }
        guard case .string(let first) = terms[0] else { throw .policy("Invalid member in numeric match: \(describe(terms[0]))") }
        guard ["<", "<=", "=", ">", ">="].contains(first) else { throw .policy("Unrecognized numeric range operator: \(first)") }
        guard terms.count > 1, case .number(let operand) = terms[1] else {
            throw .policy("Value of \(first == "=" ? "equals" : first) must be numeric")
        }
        var comparisons = [FilterCondition.NumericComparison(symbol: first, operand: operand)]
        guard terms.count > 2 else { return comparisons }
        guard first == ">" || first == ">=" else { throw .policy("Too many elements in numeric expression") }
        guard case .string(let second) = terms[2] else { throw .policy("Bad value in numeric range: \(describe(terms[2]))") }
        guard second == "<" || second == "<=" else { throw .policy("Bad numeric range operator: \(second)") }
        guard terms.count > 3, case .number(let top) = terms[3] else { throw .policy("Value of \(second) must be numeric") }
        guard top > operand else { throw .policy("Bottom must be less than top") }
        guard terms.count == 4 else { throw .policy("Too many terms in numeric range expression") }
        comparisons.append(.init(symbol: second, operand: top))
        return comparisons
    }

    static func describe(_ value: PolicyJSON) -> String {
        switch value {
        case .null: "null"
        case .bool(let flag): String(flag)
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        case .string(let text): text
        case .array: "["
        case .object: "{"
        }
    }
}
