/// A comparison of a filter pattern: `=`, `!=`, `<`, `<=`, `>`, `>=`.
///
/// Numbers compare with all six; strings (with `*` wildcards) and regular expressions only with
/// `=` and `!=`.
enum ComparisonOperator: String, Sendable, CaseIterable {
    case equal = "="
    case notEqual = "!="
    case lessOrEqual = "<="
    case greaterOrEqual = ">="
    case less = "<"
    case greater = ">"

    /// Whether the operator applies to strings (only equality does).
    var appliesToStrings: Bool { self == .equal || self == .notEqual }

    /// `actual <op> expected`.
    func holds(_ actual: Double, _ expected: Double) -> Bool {
        switch self {
        case .equal: actual == expected
        case .notEqual: actual != expected
        case .less: actual < expected
        case .lessOrEqual: actual <= expected
        case .greater: actual > expected
        case .greaterOrEqual: actual >= expected
        }
    }

    /// The result of an equality test (`matched`) under this operator: as is for `=`, negated for `!=`.
    func holds(matched: Bool) -> Bool {
        self == .notEqual ? !matched : matched
    }
}
