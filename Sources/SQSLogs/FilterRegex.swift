import Foundation

/// A regular expression of a filter pattern, written between `%` signs: `%AUTHORIZED%`,
/// `{ $.path = %^/api/% }`, `[ip, user = %fr[a-z]+%, ...]`.
///
/// AWS allows a subset of the usual syntax (no groups, no multi-byte characters); sqslite compiles
/// the expression with `NSRegularExpression` and refuses only what that cannot compile or what
/// AWS rules out by name (parentheses).
struct FilterRegex: Sendable {
    private let expression: NSRegularExpression

    /// Compiles `%…%` text; `nil` when it is not one or does not compile.
    init?(delimited text: some StringProtocol) {
        guard text.count >= 3, text.hasPrefix("%"), text.hasSuffix("%") else { return nil }
        let body = String(text.dropFirst().dropLast())
        guard !body.contains("("), !body.contains(")"), body.unicodeScalars.allSatisfy(\.isASCII),
            let expression = try? NSRegularExpression(pattern: body)
        else { return nil }
        self.expression = expression
    }

    /// Whether the expression matches somewhere in `text`.
    func matches(_ text: String) -> Bool {
        expression.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) != nil
    }
}
