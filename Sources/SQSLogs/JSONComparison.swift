import Foundation
import SQSEngine

/// One `$.selector <op> value` comparison of a JSON filter pattern.
struct JSONComparison: Sendable {
    enum Operand: Sendable {
        case number(Double)
        case string(String)
        case regex(FilterRegex)
    }

    var path: [PathStep]
    var op: ComparisonOperator
    var operand: Operand

    enum PathStep: Sendable {
        case key(String)
        case index(Int)
    }

    /// Parses the inside of `{ … }`: comparisons joined by `&&` (binding tighter) and `||`.
    /// Returns the alternatives, each a list of comparisons that must all hold.
    static func parse(_ text: String) -> [[JSONComparison]]? {
        var alternatives: [[JSONComparison]] = []
        for alternative in text.components(separatedBy: "||") {
            var all: [JSONComparison] = []
            for part in alternative.components(separatedBy: "&&") {
                guard let comparison = parseOne(part.trimmingCharacters(in: .whitespaces)) else { return nil }
                all.append(comparison)
            }
            alternatives.append(all)
        }
        return alternatives.isEmpty ? nil : alternatives
    }

    private static func parseOne(_ text: String) -> JSONComparison? {
        var text = Substring(text)
        while text.hasPrefix("("), text.hasSuffix(")") { text = text.dropFirst().dropLast() }
        text = Substring(text.trimmingCharacters(in: .whitespaces))
        guard text.hasPrefix("$") else { return nil }
        // The operator: the first of =, !=, <, >, <=, >= after the selector.
        guard let opStart = text.firstIndex(where: { "=!<>".contains($0) }) else { return nil }
        let selector = text[..<opStart].trimmingCharacters(in: .whitespaces)
        var rest = text[opStart...]
        guard let op = ComparisonOperator.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else { return nil }
        rest = rest.dropFirst(op.rawValue.count)
        let valueText = rest.trimmingCharacters(in: .whitespaces)
        guard let path = parsePath(selector), !valueText.isEmpty else { return nil }
        let operand: Operand
        if valueText.hasPrefix("\"") {
            guard valueText.count >= 2, valueText.hasSuffix("\"") else { return nil }
            operand = .string(String(valueText.dropFirst().dropLast()))
        } else if valueText.hasPrefix("%") {
            guard let regex = FilterRegex(delimited: valueText) else { return nil }
            operand = .regex(regex)
        } else if let number = Double(valueText) {
            operand = .number(number)
        } else {
            operand = .string(valueText)
        }
        if case .number = operand {
        } else if !op.appliesToStrings {
            return nil
        }
        return JSONComparison(path: path, op: op, operand: operand)
    }

    /// `$.a.b[0].c` → keys and indexes.
    private static func parsePath(_ selector: String) -> [PathStep]? {
        guard selector.hasPrefix("$") else { return nil }
        var steps: [PathStep] = []
        var rest = selector.dropFirst()
        while !rest.isEmpty {
            if rest.hasPrefix(".") {
                rest = rest.dropFirst()
                let end = rest.firstIndex(where: { $0 == "." || $0 == "[" }) ?? rest.endIndex
                guard end > rest.startIndex else { return nil }
                steps.append(.key(String(rest[..<end])))
                rest = rest[end...]
            } else if rest.hasPrefix("[") {
                guard let close = rest.firstIndex(of: "]"), let index = Int(rest[rest.index(after: rest.startIndex)..<close]) else { return nil }
                steps.append(.index(index))
                rest = rest[rest.index(after: close)...]
            } else {
                return nil
            }
        }
        return steps
    }

    func matches(_ root: JSONValue) -> Bool {
        var value = root
        for step in path {
            switch (step, value) {
            case (.key(let key), .object(let object)):
                guard let next = object[key] else { return false }
                value = next
            case (.index(let index), .array(let array)):
                guard array.indices.contains(index) else { return false }
                value = array[index]
            default:
                return false
            }
        }
        switch operand {
        case .number(let expected):
            let actual: Double
            switch value {
            case .number(let number): actual = number
            case .string(let text):
                guard let number = Double(text) else { return false }
                actual = number
            default: return false
            }
            return op.holds(actual, expected)
        case .string, .regex:
            let actual: String
            switch value {
            case .string(let text): actual = text
            case .bool(let flag): actual = String(flag)
            case .null: actual = "null"
            case .number: actual = value.text
            default: return false
            }
            if case .regex(let regex) = operand { return op.holds(matched: regex.matches(actual)) }
            if case .string(let expected) = operand { return op.holds(matched: Self.wildcardMatch(actual, expected)) }
            return false
        }
    }

    /// `*` in `pattern` matches any run of characters.
    static func wildcardMatch(_ text: String, _ pattern: String) -> Bool {
        guard pattern.contains("*") else { return text == pattern }
        let parts = pattern.split(separator: "*", omittingEmptySubsequences: false)
        var rest = Substring(text)
        for (index, part) in parts.enumerated() {
            if index == 0 {
                guard rest.hasPrefix(part) else { return false }
                rest = rest.dropFirst(part.count)
            } else if index == parts.count - 1 {
                return part.isEmpty || rest.hasSuffix(part)
            } else if !part.isEmpty {
                guard let range = rest.range(of: part) else { return false }
                rest = rest[range.upperBound...]
            }
        }
        return true
    }
}
