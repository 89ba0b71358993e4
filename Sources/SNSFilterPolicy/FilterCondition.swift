/// One match expression of a filter policy: an element of a key's array.
enum FilterCondition: Sendable, Equatable {
    /// A string, number, `true`, `false` or `null`, matched exactly (numbers numerically).
    case exact(PolicyJSON)
    case prefix(String)
    case suffix(String)
    case equalsIgnoreCase(String)
    /// `anything-but` a list of values.
    case anythingBut([PolicyJSON])
    case anythingButPrefix(String)
    case anythingButSuffix(String)
    case anythingButEqualsIgnoreCase([String])
    /// `numeric`: one or two (operator, operand) pairs, all of which must hold.
    case numeric([NumericComparison])
    case exists(Bool)
    case cidr(IPNetwork)

    /// A `numeric` operator and its operand.
    struct NumericComparison: Sendable, Equatable {
        var symbol: String
        var operand: Double

        func holds(for value: Double) -> Bool {
            switch symbol {
            case "=": value == operand
            case "<": value < operand
            case "<=": value <= operand
            case ">": value > operand
            case ">=": value >= operand
            default: false
            }
        }
    }

    /// Whether a value found at the key matches (`exists` is decided by the caller).
    func matches(_ value: FilterValue) -> Bool {
        switch self {
        case .exact(let expected):
            switch (expected, value) {
            case (.string(let a), .string(let b)): return a == b
            case (.number(let a), .number(let b)): return a == b
            case (.bool(let a), .bool(let b)): return a == b
            case (.null, .null): return true
            default: return false
            }
        case .prefix(let prefix):
            guard case .string(let text) = value else { return false }
            return text.hasPrefix(prefix)
        case .suffix(let suffix):
            guard case .string(let text) = value else { return false }
            return text.hasSuffix(suffix)
        case .equalsIgnoreCase(let expected):
            guard case .string(let text) = value else { return false }
            return text.lowercased() == expected.lowercased()
        case .anythingBut(let excluded):
            return !excluded.contains { FilterCondition.exact($0).matches(value) }
        case .anythingButPrefix(let prefix):
            guard case .string(let text) = value else { return true }
            return !text.hasPrefix(prefix)
        case .anythingButSuffix(let suffix):
            guard case .string(let text) = value else { return true }
            return !text.hasSuffix(suffix)
        case .anythingButEqualsIgnoreCase(let excluded):
            guard case .string(let text) = value else { return true }
            let lowered = text.lowercased()
            return !excluded.contains { $0.lowercased() == lowered }
        case .numeric(let comparisons):
            guard case .number(let number) = value else { return false }
            return comparisons.allSatisfy { $0.holds(for: number) }
        case .exists:
            return true
        case .cidr(let network):
            guard case .string(let text) = value, let address = IPNetwork.address(text) else { return false }
            return network.contains(address)
        }
    }
}

/// A value a policy key is matched against: one message attribute value (or one element of a
/// `String.Array`), or one scalar of the message body.
enum FilterValue: Sendable, Equatable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null
}
