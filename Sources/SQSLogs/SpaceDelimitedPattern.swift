/// A space-delimited filter pattern: names the fields of a log line and sets conditions on them.
///
/// ```text
/// [ip, user, username, timestamp, request = *.html*, status_code = 4*, bytes]
/// [..., status_code = 4* || status_code = 5*, bytes > 1000]
/// ```
///
/// A log line's fields are separated by whitespace (spaces or tabs); text between `"` and `"`, or
/// between `[` and `]`, is one field (without its quotes or brackets). Without `...`, the line
/// must have exactly as many fields as the pattern; each `...` stands for any number of fields
/// (none included). A field's condition may compare it (or another named field) with a number
/// (`=`, `!=`, `<`, `<=`, `>`, `>=`, numerically), with text where `*` is a wildcard, or with a
/// `%regex%` (`=` and `!=` only), joined by `&&` and `||`.
struct SpaceDelimitedPattern: Sendable {
    /// One position of the pattern.
    enum Item: Sendable, Equatable {
        case field(String)
        case ellipsis
    }

    /// The most `...` in one pattern (each multiplies the ways a line can be matched).
    static let maxEllipses = 4

    let items: [Item]
    let conditions: [FieldCondition]

    /// Parses the text between `[` and `]`; `nil` when it is not a valid pattern.
    init?(_ inside: Substring) {
        guard let tokens = PatternLexer.tokens(inside), !tokens.isEmpty else { return nil }
        var items: [Item] = []
        var conditions: [FieldCondition] = []
        for part in tokens.split(separator: .comma, omittingEmptySubsequences: false) {
            if part.count == 1, part.first == .ellipsis {
                items.append(.ellipsis)
                continue
            }
            guard case .word(let name)? = part.first(where: { if case .word = $0 { true } else { false } }), Self.isName(name)
            else { return nil }
            items.append(.field(name))
            if part.count > 1 || part.first != .word(name) {
                guard let condition = FieldCondition.parse(part) else { return nil }
                conditions.append(condition)
            }
        }
        let names = items.compactMap { if case .field(let name) = $0 { name } else { nil } }
        guard Set(names).count == names.count, items.count(where: { $0 == .ellipsis }) <= Self.maxEllipses,
            conditions.allSatisfy({ $0.fields.allSatisfy(names.contains) })
        else { return nil }
        self.items = items
        self.conditions = conditions
    }

    /// Whether `message`'s fields fit the pattern with every condition holding.
    func matches(_ message: String) -> Bool {
        let fields = Self.fields(of: message)
        var values: [String: Substring] = [:]
        return bind(item: 0, field: 0, fields: fields, values: &values)
    }

    /// Tries every way of placing the remaining items on the remaining fields.
    private func bind(item: Int, field: Int, fields: [Substring], values: inout [String: Substring]) -> Bool {
        guard item < items.count else {
            return field == fields.count && conditions.allSatisfy { $0.holds(values) }
        }
        switch items[item] {
        case .field(let name):
            guard field < fields.count else { return false }
            values[name] = fields[field]
            return bind(item: item + 1, field: field + 1, fields: fields, values: &values)
        case .ellipsis:
            for next in field...fields.count where bind(item: item + 1, field: next, fields: fields, values: &values) {
                return true
            }
            return false
        }
    }

    /// A field name: letters, digits and `_`.
    private static func isName(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { ($0.isLetter || $0.isNumber || $0 == "_") && $0.isASCII }
    }

    /// The fields of a log line: runs of non-whitespace, `"quoted text"` and `[bracketed text]`
    /// (an unclosed quote or bracket runs to the end of the line).
    static func fields(of message: String) -> [Substring] {
        var fields: [Substring] = []
        var index = message.startIndex
        while index < message.endIndex {
            let character = message[index]
            if character.isWhitespace {
                index = message.index(after: index)
                continue
            }
            if character == "\"" || character == "[" {
                let start = message.index(after: index)
                let close = message[start...].firstIndex(of: character == "\"" ? "\"" : "]") ?? message.endIndex
                fields.append(message[start..<close])
                index = close < message.endIndex ? message.index(after: close) : close
            } else {
                let end = message[index...].firstIndex(where: \.isWhitespace) ?? message.endIndex
                fields.append(message[index..<end])
                index = end
            }
        }
        return fields
    }
}
