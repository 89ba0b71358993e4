/// The condition of a space-delimited pattern's field: `status_code = 4*`, `bytes > 1000`,
/// `status_code = 4* || status_code = 5*`, `request = %GET%`, joined by `&&` (binding tighter)
/// and `||`, with parentheses.
indirect enum FieldCondition: Sendable {
    /// The value a field is compared with.
    enum Operand: Sendable {
        /// A number: the field must be a number too, compared numerically.
        case number(Double)
        /// Text, where `*` matches any run of characters (`4*`, `*.html*`, `"GET /index.html"`).
        case text(String)
        /// `%regex%`, found anywhere in the field.
        case regex(FilterRegex)
    }

    case comparison(field: String, ComparisonOperator, Operand)
    case all(FieldCondition, FieldCondition)
    case any(FieldCondition, FieldCondition)

    /// Whether the condition holds for the fields' values (by name).
    func holds(_ values: [String: Substring]) -> Bool {
        switch self {
        case .all(let left, let right):
            return left.holds(values) && right.holds(values)
        case .any(let left, let right):
            return left.holds(values) || right.holds(values)
        case .comparison(let field, let comparison, let operand):
            guard let value = values[field] else { return false }
            switch operand {
            case .number(let expected):
                guard let actual = Double(value) else { return false }
                return comparison.holds(actual, expected)
            case .text(let pattern):
                return comparison.holds(matched: JSONComparison.wildcardMatch(String(value), pattern))
            case .regex(let regex):
                return comparison.holds(matched: regex.matches(String(value)))
            }
        }
    }

    /// The fields the condition names.
    var fields: [String] {
        switch self {
        case .comparison(let field, _, _): [field]
        case .all(let left, let right), .any(let left, let right): left.fields + right.fields
        }
    }

    /// Parses one field's condition from its tokens (after the field name has been recognised):
    /// `nil` when they are not a condition.
    static func parse(_ tokens: ArraySlice<PatternLexer.Token>) -> FieldCondition? {
        var parser = Parser(tokens: tokens)
        guard let condition = parser.alternatives(), parser.tokens.isEmpty else { return nil }
        return condition
    }

    /// Recursive descent: alternatives := conjunction ('||' conjunction)*;
    /// conjunction := primary ('&&' primary)*; primary := '(' alternatives ')' | word op value.
    private struct Parser {
        var tokens: ArraySlice<PatternLexer.Token>

        mutating func alternatives() -> FieldCondition? {
            guard var result = conjunction() else { return nil }
            while tokens.first == .or {
                tokens.removeFirst()
                guard let next = conjunction() else { return nil }
                result = .any(result, next)
            }
            return result
        }

        mutating func conjunction() -> FieldCondition? {
            guard var result = primary() else { return nil }
            while tokens.first == .and {
                tokens.removeFirst()
                guard let next = primary() else { return nil }
                result = .all(result, next)
            }
            return result
        }

        mutating func primary() -> FieldCondition? {
            if tokens.first == .open {
                tokens.removeFirst()
                guard let inner = alternatives(), tokens.first == .close else { return nil }
                tokens.removeFirst()
                return inner
            }
            guard tokens.count >= 3, case .word(let field) = tokens.removeFirst(), case .comparison(let comparison) = tokens.removeFirst()
            else { return nil }
            let operand: Operand
            switch tokens.removeFirst() {
            case .word(let word):
                if !word.contains("*"), let number = Double(word), number.isFinite {
                    operand = .number(number)
                } else {
                    operand = .text(word)
                }
            case .quoted(let text):
                operand = .text(text)
            case .regex(let text):
                guard let regex = FilterRegex(delimited: text) else { return nil }
                operand = .regex(regex)
            default:
                return nil
            }
            if case .number = operand {
            } else if !comparison.appliesToStrings {
                return nil
            }
            return .comparison(field: field, comparison, operand)
        }
    }
}
