import Foundation
import SQSEngine

/// A CloudWatch Logs filter pattern, parsed once and matched against event messages.
///
/// Supported syntax (AWS's "Filter pattern syntax" page):
/// - empty: every event;
/// - terms: `ERROR Exception` (every term must appear, case-sensitive), `"quoted phrase"`;
/// - `-term` excludes events containing the term; `?term ?other` matches events containing any;
/// - JSON: `{ $.level = "ERROR" }`, `{ $.latency > 5 }`, `!=`, `<`, `<=`, `>=`, `*` wildcards in
///   string values, nested and indexed selectors (`$.a.b`, `$.list[0]`), joined by `&&` and `||`.
///
/// Space-delimited patterns (`[ip, user, ...]`) are not supported and are refused as invalid.
public struct FilterPattern: Sendable {
    private enum Kind: Sendable {
        case all
        case terms(required: [String], excluded: [String], optional: [String])
        case json([[JSONComparison]])
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
            return nil
        } else {
            guard let tokens = Self.tokens(trimmed) else { return nil }
            var required: [String] = []
            var excluded: [String] = []
            var optional: [String] = []
            for (token, quoted) in tokens {
                if !quoted, token.hasPrefix("-"), token.count > 1 {
                    excluded.append(Self.unquote(String(token.dropFirst())))
                } else if !quoted, token.hasPrefix("?"), token.count > 1 {
                    optional.append(Self.unquote(String(token.dropFirst())))
                } else {
                    required.append(token)
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
            guard required.allSatisfy({ message.contains($0) }) else { return false }
            guard !excluded.contains(where: { message.contains($0) }) else { return false }
            return optional.isEmpty || optional.contains(where: { message.contains($0) })
        case .json(let alternatives):
            guard let value = try? JSONDecoder().decode(JSONValue.self, from: Data(message.utf8)) else { return false }
            return alternatives.contains { all in all.allSatisfy { $0.matches(value) } }
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
