/// One test of a statement's `Condition` block: an operator, a context key and the policy's values,
/// e.g. `"ArnLike": {"aws:SourceArn": "arn:aws:sns:*:000000000000:orders"}`.
///
/// Operators: the `String…`, `Numeric…`, `Date…`, `Arn…` families, `Bool`, `BinaryEquals`,
/// `IpAddress`/`NotIpAddress` and `Null`, each with an `…IfExists` form, and the `ForAnyValue:` and
/// `ForAllValues:` set operators. A key missing from the request makes a condition false, except
/// for negated operators (`StringNotEquals`, `ArnNotLike`, …), `…IfExists`, `ForAllValues:` and
/// `Null`, as IAM documents.
public struct PolicyCondition: Sendable, Equatable {
    /// The base operators.
    enum Operator: String, Sendable, CaseIterable {
        case stringEquals = "StringEquals", stringNotEquals = "StringNotEquals"
        case stringEqualsIgnoreCase = "StringEqualsIgnoreCase", stringNotEqualsIgnoreCase = "StringNotEqualsIgnoreCase"
        case stringLike = "StringLike", stringNotLike = "StringNotLike"
        case numericEquals = "NumericEquals", numericNotEquals = "NumericNotEquals", numericLessThan = "NumericLessThan"
        case numericLessThanEquals = "NumericLessThanEquals", numericGreaterThan = "NumericGreaterThan"
        case numericGreaterThanEquals = "NumericGreaterThanEquals"
        case dateEquals = "DateEquals", dateNotEquals = "DateNotEquals", dateLessThan = "DateLessThan"
        case dateLessThanEquals = "DateLessThanEquals", dateGreaterThan = "DateGreaterThan", dateGreaterThanEquals = "DateGreaterThanEquals"
        case bool = "Bool", binaryEquals = "BinaryEquals"
        case ipAddress = "IpAddress", notIpAddress = "NotIpAddress"
        case arnEquals = "ArnEquals", arnLike = "ArnLike", arnNotEquals = "ArnNotEquals", arnNotLike = "ArnNotLike"
        case null = "Null"

        /// Whether the operator is the negation of a matching one.
        var isNegated: Bool {
            switch self {
            case .stringNotEquals, .stringNotEqualsIgnoreCase, .stringNotLike, .numericNotEquals, .dateNotEquals, .notIpAddress,
                .arnNotEquals, .arnNotLike:
                true
            default:
                false
            }
        }
    }

    /// `ForAnyValue:`, `ForAllValues:`, or neither.
    enum SetOperator: Sendable, Equatable {
        case single
        case forAnyValue
        case forAllValues
    }

    let op: Operator
    let setOperator: SetOperator
    let ifExists: Bool
    /// The context key, lower-cased (keys are not case-sensitive).
    let key: String
    let values: [String]

    /// Parses an operator name such as `ForAnyValue:StringLikeIfExists`; `nil` if unknown.
    init?(operator name: String, key: String, values: [String]) {
        var name = Substring(name)
        var setOperator = SetOperator.single
        if name.hasPrefix("ForAnyValue:") {
            setOperator = .forAnyValue
            name = name.dropFirst("ForAnyValue:".count)
        } else if name.hasPrefix("ForAllValues:") {
            setOperator = .forAllValues
            name = name.dropFirst("ForAllValues:".count)
        }
        var ifExists = false
        if name.hasSuffix("IfExists"), name != "IfExists" {
            ifExists = true
            name = name.dropLast("IfExists".count)
        }
        guard let op = Operator(rawValue: String(name)), !(op == .null && ifExists) else { return nil }
        self.op = op
        self.setOperator = setOperator
        self.ifExists = ifExists
        self.key = key.lowercased()
        self.values = values
    }

    /// Whether the condition holds for a request's context (keys lower-cased); `variables` turns on
    /// `${…}` policy variables in the values (policy version 2012-10-17).
    func holds(in context: [String: [String]], variables: Bool) -> Bool {
        let present = context[key] ?? []
        if op == .null {
            let absent = present.isEmpty
            return values.contains { ($0.lowercased() == "true") == absent }
        }
        guard !present.isEmpty else {
            return ifExists || setOperator == .forAllValues || op.isNegated
        }
        // A value naming a variable the request lacks matches nothing.
        let policyValues = variables ? values.compactMap { PolicyVariables.substitute($0, context) } : values
        func matchesAny(_ value: String) -> Bool {
            policyValues.contains { Self.matches(op, value, $0) }
        }
        switch (setOperator, op.isNegated) {
        case (.single, false): return present.contains(where: matchesAny)
        case (.single, true), (.forAllValues, true): return !present.contains(where: matchesAny)
        case (.forAnyValue, false): return present.contains(where: matchesAny)
        case (.forAnyValue, true): return present.contains { !matchesAny($0) }
        case (.forAllValues, false): return present.allSatisfy(matchesAny)
        }
    }

    /// Whether one request value matches one policy value under the operator's positive form.
    private static func matches(_ op: Operator, _ value: String, _ pattern: String) -> Bool {
        switch op {
        case .stringEquals, .stringNotEquals, .binaryEquals:
            return value == pattern
        case .stringEqualsIgnoreCase, .stringNotEqualsIgnoreCase:
            return value.lowercased() == pattern.lowercased()
        case .stringLike, .stringNotLike:
            return WildcardPattern.matches(pattern[...], value[...])
        case .numericEquals, .numericNotEquals, .numericLessThan, .numericLessThanEquals, .numericGreaterThan, .numericGreaterThanEquals:
            guard let left = Double(value), let right = Double(pattern) else { return false }
            return compare(op, left, right)
        case .dateEquals, .dateNotEquals, .dateLessThan, .dateLessThanEquals, .dateGreaterThan, .dateGreaterThanEquals:
            guard let left = AMZDate.parseISO8601(value[...]), let right = AMZDate.parseISO8601(pattern[...]) else { return false }
            return compare(op, left, right)
        case .bool:
            return value.lowercased() == pattern.lowercased()
        case .ipAddress, .notIpAddress:
            return IPAddressRange(pattern)?.contains(value) ?? false
        case .arnEquals, .arnLike, .arnNotEquals, .arnNotLike:
            return WildcardPattern.matchesARN(pattern, value)
        case .null:
            return false
        }
    }

    private static func compare<T: Comparable>(_ op: Operator, _ left: T, _ right: T) -> Bool {
        switch op {
        case .numericLessThan, .dateLessThan: left < right
        case .numericLessThanEquals, .dateLessThanEquals: left <= right
        case .numericGreaterThan, .dateGreaterThan: left > right
        case .numericGreaterThanEquals, .dateGreaterThanEquals: left >= right
        default: left == right
        }
    }
}
