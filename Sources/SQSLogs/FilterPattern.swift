import Foundation
import SQSEngine

/// A CloudWatch Logs filter pattern, parsed once and matched against event messages.
///
/// Supported syntax (AWS's "Filter pattern syntax" page):
/// - empty: every event;
/// - terms: `ERROR Exception` (every term must appear, case-sensitive), `"quoted phrase"`;
/// - `-term` excludes events containing the term; `?term ?other` matches events containing any;
/// - JSON: `{ $.level = "ERROR" }`, `{ $.latency > 5 }`, `!=`, `<`, `<=`, `>=`, `*` wildcards in
///   string values, `%regex%` values, nested and indexed selectors (`$.a.b`, `$.list[0]`), joined
///   by `&&` and `||`;
/// - space-delimited: `[ip, user, username, timestamp, request = *.html*, status_code = 4*, bytes]`,
///   with `...` and numeric comparisons (see ``SpaceDelimitedPattern``);
/// - regular expressions between `%` signs: `%AUTHORIZED%`, alone or as a term.
public struct FilterPattern: Sendable {
    private enum Kind: Sendable {
        case all
        case terms(required: [Term], excluded: [Term], optional: [Term])
        case json([[JSONComparison]])
        case delimited(SpaceDelimitedPattern)
    }

    /// A word or phrase that must (or must not) appear, or a `%regex%` that must match.
    private enum Term: Sendable {
        case text(String)
        case regex(FilterRegex)

        init?(_ token: String, quoted: Bool) {
            if !quoted, token.hasPrefix("%") {
                guard let regex = FilterRegex(delimited: token) else { return nil }
                self = .regex(regex)
            } else {
                self = .text(token)
            }
        }

        func occurs(in message: String) -> Bool {
            switch self {
            case .text(let text): message.contains(text)
            case .regex(let regex): regex.matches(message)
            }
        }
    }

    private let kind: Kind

    /// Parses `text`; `nil` when it is not a pattern sqslite understands.
    public init?(_ text: String) {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty || trimmed == "\"\"" {
            kind = .all
        } else if trimmed.hasPrefix("{") {
            guard trimmed.hasSuffix("}"), let alternatives = JSONComparison.parse(String(trimmed.dropFirst().dropLast())) else { return nil }
            kind = .json(alternatives)
        } else if trimmed.hasPrefix("[") {
            guard trimmed.hasSuffix("]"), let pattern = SpaceDelimitedPattern(trimmed.dropFirst().dropLast()) else { return nil }
            kind = .delimited(pattern)
        } else {
            guard let tokens = Self.tokens(trimmed) else { return nil }
            var required: [Term] = []
            var excluded: [Term] = []
            var optional: [Term] = []
            for (token, quoted) in tokens {
                if !quoted, token.hasPrefix("-"), token.count > 1 {
                    let rest = String(token.dropFirst())
                    guard let term = Term(Self.unquote(rest), quoted: rest.hasPrefix("\"")) else { return nil }
                    excluded.append(term)
                } else if !quoted, token.hasPrefix("?"), token.count > 1 {
                    let rest = String(token.dropFirst())
                    guard let term = Term(Self.unquote(rest), quoted: rest.hasPrefix("\"")) else { return nil }
                    optional.append(term)
                } else {
                    guard let term = Term(token, quoted: quoted) else { return nil }
                    required.append(term)
                }
            }
            kind = .terms(required: required, excluded: excluded, optional: optional)
        }
    }

    /// Whether `message` matches.
    public func matches(_ message: String) -> Bool {
        switch kind {
        case .all:
            return true
        case .terms(let required, let excluded, let optional):
            guard required.allSatisfy({ $0.occurs(in: message) }) else { return false }
            guard !excluded.contains(where: { $0.occurs(in: message) }) else { return false }
            return optional.isEmpty || optional.contains(where: { $0.occurs(in: message) })
        case .json(let alternatives):
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(message.utf8)) else { return false }
            return alternatives.contains { all in all.allSatisfy { $0.matches(value) } }
        case .delimited(let pattern):
            return pattern.matches(message)
        }
    }

    /// Splits on spaces; a `"…"` token keeps its spaces and is marked quoted. `nil` on an open quote.
    private static func tokens(_ text: String) -> [(String, Bool)]? {
        var result: [(String, Bool)] = []
        var current = ""
        var inQuote = false
        var wasQuoted = false
        for character in text {
            if character == "\"" {
                inQuote.toggle()
                if current.isEmpty || current == "-" || current == "?" { wasQuoted = current.isEmpty }
                current.append(character)
            } else if character == " " && !inQuote {
                if !current.isEmpty { result.append(wasQuoted ? (unquote(current), true) : (current, false)) }
                current = ""
                wasQuoted = false
            } else {
                current.append(character)
            }
        }
        guard !inQuote else { return nil }
        if !current.isEmpty { result.append(wasQuoted ? (unquote(current), true) : (current, false)) }
        return result
    }

    private static func unquote(_ text: String) -> String {
        text.count >= 2 && text.hasPrefix("\"") && text.hasSuffix("\"") ? String(text.dropFirst().dropLast()) : text
    }
}
