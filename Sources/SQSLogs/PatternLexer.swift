/// Splits the inside of a space-delimited filter pattern (`ip, user, status_code = 4* || status_code = 5*, ...`)
/// into tokens.
///
/// Words run until whitespace or one of `, ( ) = ! < > " %` (a lone `!`, `&` or `|` stays in the
/// word); `"…"` is a quoted string and `%…%` a regular expression, each one token.
enum PatternLexer {
    /// One token of a space-delimited pattern.
    enum Token: Sendable, Equatable {
        case comma
        case ellipsis
        case and
        case or
        case open
        case close
        case comparison(ComparisonOperator)
        case word(String)
        case quoted(String)
        case regex(String)
    }

    /// The tokens of `text`; `nil` on an unterminated quote or regular expression.
    static func tokens(_ text: Substring) -> [Token]? {
        var tokens: [Token] = []
        var index = text.startIndex
        func next(_ offset: Int = 1) -> Character? {
            let position = text.index(index, offsetBy: offset, limitedBy: text.endIndex)
            return position.flatMap { $0 < text.endIndex ? text[$0] : nil }
        }
        while index < text.endIndex {
            let character = text[index]
            if character.isWhitespace {
                index = text.index(after: index)
                continue
            }
            // A lone `!` starts a word, like `&` and `|` that are not doubled.
            let startsComparison = "=<>".contains(character) || (character == "!" && next() == "=")
            switch character {
            case ",":
                tokens.append(.comma)
            case "(":
                tokens.append(.open)
            case ")":
                tokens.append(.close)
            case "&" where next() == "&":
                tokens.append(.and)
                index = text.index(after: index)
            case "|" where next() == "|":
                tokens.append(.or)
                index = text.index(after: index)
            case _ where startsComparison:
                let twoCharacters = next() == "="
                let symbol = twoCharacters ? String([character, "="]) : String(character)
                guard let comparison = ComparisonOperator(rawValue: symbol) else { return nil }
                tokens.append(.comparison(comparison))
                if twoCharacters { index = text.index(after: index) }
            case "\"", "%":
                guard let close = text[text.index(after: index)...].firstIndex(of: character) else { return nil }
                let body = String(text[text.index(after: index)..<close])
                tokens.append(character == "\"" ? .quoted(body) : .regex("%\(body)%"))
                index = close
            default:
                var end = index
                while end < text.endIndex, !Self.endsWord(text, at: end) {
                    end = text.index(after: end)
                }
                let word = String(text[index..<end])
                tokens.append(word == "..." ? .ellipsis : .word(word))
                index = end
                continue
            }
            index = text.index(after: index)
        }
        return tokens
    }

    /// Whether the character at `index` ends a word.
    private static func endsWord(_ text: Substring, at index: Substring.Index) -> Bool {
        let character = text[index]
        if character.isWhitespace || ",()=<>\"%".contains(character) { return true }
        let following = text.index(after: index) < text.endIndex ? text[text.index(after: index)] : nil
        switch character {
        case "!": return following == "="
        case "&": return following == "&"
        case "|": return following == "|"
        default: return false
        }
    }
}
