/// One event filter pattern (a `FilterCriteria.Filters[].Pattern`), compiled: Lambda's filter
/// language, which is EventBridge's event-pattern language.
///
/// ```json
/// {"body": {"type": ["order"], "total": [{"numeric": [">", 100]}], "$or": [{"vip": [true]}, {"country": [{"prefix": "us-"}]}]}}
/// ```
///
/// - A pattern is an object; each key is a field of the event, and its value is either a nested
///   pattern (for an object field) or a non-empty array of rules (for a leaf). Every field must
///   match (AND); any rule in an array may match (OR); `"$or": [pattern, …]` matches when one of its
///   patterns does.
/// - Rules: an exact value (string, number, `true`, `false`, `null`), and the operators `prefix`,
///   `suffix` (each also as `{"equals-ignore-case": …}`), `equals-ignore-case`, `anything-but` (a
///   value, a list, or a `prefix`/`suffix`/`equals-ignore-case`/`wildcard`), `numeric` (`=`, `<`,
///   `<=`, `>`, `>=`, up to a range), `exists`, and `wildcard` (`*` for any run, `\*` for a star).
/// - A field whose value is an array matches when one of its elements does. Numbers match exact
///   rules by their text, as Lambda documents; `numeric` compares values.
/// - Only `exists: false` matches a missing field; operators other than `exists` match leaves only.
struct FilterPattern: Sendable, Equatable {
    /// A pattern that cannot be compiled.
    struct Invalid: Error, Equatable {
        var reason: String
    }

    let root: ObjectPattern

    /// Compiles a pattern's JSON text.
    init(_ text: String) throws(Invalid) {
        guard let json = FilterJSON.parse(text) else { throw Invalid(reason: "the pattern is not JSON") }
        guard case .object(let fields) = json else { throw Invalid(reason: "the pattern is not a JSON object") }
        root = try ObjectPattern(fields)
    }

    /// Whether `event` (a JSON object) matches.
    func matches(_ event: [String: FilterJSON]) -> Bool {
        root.matches(event)
    }

    /// The rules for the top-level `key`, when the pattern gives them as a list rather than a
    /// nested pattern (how a plain-string SQS `body` is filtered).
    func hasNestedPattern(at key: String) -> Bool? {
        switch root.fields.first(where: { $0.key == key })?.field {
        case .nested: true
        case .rules: false
        case nil: nil
        }
    }

    /// Whether the pattern names `key` at its top level, in a field or inside a top-level `$or`.
    func mentions(_ key: String) -> Bool {
        root.fields.contains { $0.key == key } || root.alternatives.contains { $0.contains { $0.fields.contains { $0.key == key } } }
    }

    // MARK: - The compiled form

    struct ObjectPattern: Sendable, Equatable {
        var fields: [(key: String, field: Field)]
        /// Each `$or`: one of the patterns must match.
        var alternatives: [[ObjectPattern]]

        init(_ json: [String: FilterJSON]) throws(Invalid) {
            fields = []
            alternatives = []
            guard !json.isEmpty else { throw Invalid(reason: "an empty object") }
            for key in json.keys.sorted() {
                let value = json[key]!
                if key == "$or" {
                    guard case .array(let items) = value, items.count >= 2 else {
                        throw Invalid(reason: "$or needs an array of at least two patterns")
                    }
                    var options: [ObjectPattern] = []
                    for item in items {
                        guard case .object(let nested) = item else { throw Invalid(reason: "$or holds objects") }
                        options.append(try ObjectPattern(nested))
                    }
                    alternatives.append(options)
                    continue
                }
                switch value {
                case .object(let nested):
                    fields.append((key, .nested(try ObjectPattern(nested))))
                case .array(let items):
                    guard !items.isEmpty else { throw Invalid(reason: "empty arrays are not allowed (\(key))") }
                    var rules: [Rule] = []
                    for item in items { rules.append(try Rule(item)) }
                    fields.append((key, .rules(rules)))
                default:
                    throw Invalid(reason: "\(key) must be an object or an array of rules")
                }
            }
        }

        static func == (lhs: ObjectPattern, rhs: ObjectPattern) -> Bool {
            lhs.fields.map(\.key) == rhs.fields.map(\.key) && zip(lhs.fields, rhs.fields).allSatisfy { $0.field == $1.field }
                && lhs.alternatives == rhs.alternatives
        }

        /// `event` is the object at this level, or `nil` when the field holding it is missing (only
        /// `exists: false` rules can then match).
        func matches(_ event: [String: FilterJSON]?) -> Bool {
            for (key, field) in fields where !field.matches(event?[key]) {
                return false
            }
            for options in alternatives where !options.contains(where: { $0.matches(event) }) {
                return false
            }
            return true
        }
    }

    enum Field: Sendable, Equatable {
        case nested(ObjectPattern)
        case rules([Rule])

        func matches(_ value: FilterJSON?) -> Bool {
            switch self {
            case .nested(let pattern):
                switch value {
                case .object(let fields): return pattern.matches(fields)
                case .array(let items):
                    return items.contains { item in
                        if case .object(let fields) = item { return pattern.matches(fields) }
                        return false
                    }
                case nil: return pattern.matches(nil)
                default: return false
                }
            case .rules(let rules):
                guard let value else { return rules.contains(.exists(false)) }
                if case .array(let items) = value {
                    if rules.contains(.exists(true)) && !items.isEmpty { return true }
                    return items.contains { item in !item.isObject && rules.contains { $0.matches(item) } }
                }
                // Rules apply to leaves: an object is no value for them (and `exists` tests leaves only).
                if value.isObject { return rules.contains(.exists(false)) }
                return rules.contains { $0.matches(value) }
            }
        }
    }

    enum NumericOperator: String, Sendable, Equatable {
        case equal = "=", less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">="

        func holds(_ value: Double, _ bound: Double) -> Bool {
            switch self {
            case .equal: value == bound
            case .less: value < bound
            case .lessOrEqual: value <= bound
            case .greater: value > bound
            case .greaterOrEqual: value >= bound
            }
        }
    }

    enum Rule: Sendable, Equatable {
        case exact(FilterJSON)
        case prefix(String, ignoringCase: Bool)
        case suffix(String, ignoringCase: Bool)
        case equalsIgnoringCase(String)
        case wildcard(String)
        case numeric([NumericComparison])
        case exists(Bool)
        case anythingBut([FilterJSON])
        case anythingButPrefix(String)
        case anythingButSuffix(String)
        case anythingButIgnoringCase([String])
        case anythingButWildcard([String])

        struct NumericComparison: Sendable, Equatable {
            var op: NumericOperator
            var bound: Double
        }

        init(_ json: FilterJSON) throws(Invalid) {
            switch json {
            case .string, .number, .bool, .null:
                self = .exact(json)
            case .array:
                throw Invalid(reason: "a rule cannot be an array")
            case .object(let operatorFields):
                guard operatorFields.count == 1, let (name, argument) = operatorFields.first else {
                    throw Invalid(reason: "an operator object has exactly one key")
                }
                self = try Rule.makeOperator(name, argument)
            }
        }

        private static func makeOperator(_ name: String, _ argument: FilterJSON) throws(Invalid) -> Rule {
            switch (name, argument) {
            case ("prefix", .string(let text)): return .prefix(text, ignoringCase: false)
            case ("suffix", .string(let text)): return .suffix(text, ignoringCase: false)
            case ("prefix", .object(let inner)), ("suffix", .object(let inner)):
                guard inner.count == 1, case .string(let text)? = inner["equals-ignore-case"] else {
                    throw Invalid(reason: "\(name) takes a string or {\"equals-ignore-case\": string}")
                }
                return name == "prefix" ? .prefix(text, ignoringCase: true) : .suffix(text, ignoringCase: true)
            case ("equals-ignore-case", .string(let text)): return .equalsIgnoringCase(text)
            case ("wildcard", .string(let text)):
                try validateWildcard(text)
                return .wildcard(text)
            case ("exists", .bool(let flag)): return .exists(flag)
            case ("numeric", .array(let items)): return .numeric(try numericComparisons(items))
            case ("anything-but", _): return try anythingBut(argument)
            default:
                throw Invalid(reason: "unsupported operator \(name)")
            }
        }

        private static func anythingBut(_ argument: FilterJSON) throws(Invalid) -> Rule {
            switch argument {
            case .string, .number:
                return .anythingBut([argument])
            case .array(let items):
                guard !items.isEmpty else { throw Invalid(reason: "anything-but needs values") }
                for item in items {
                    switch item {
                    case .string, .number: continue
                    default: throw Invalid(reason: "anything-but lists strings or numbers")
                    }
                }
                return .anythingBut(items)
            case .object(let inner):
                guard inner.count == 1, let (name, value) = inner.first else { throw Invalid(reason: "anything-but takes one operator") }
                switch (name, value) {
                case ("prefix", .string(let text)): return .anythingButPrefix(text)
                case ("suffix", .string(let text)): return .anythingButSuffix(text)
                case ("equals-ignore-case", _), ("wildcard", _):
                    let texts: [String]
                    switch value {
                    case .string(let text): texts = [text]
                    case .array(let items):
                        texts = try items.map { item throws(Invalid) -> String in
                            guard case .string(let text) = item else { throw Invalid(reason: "\(name) takes strings") }
                            return text
                        }
                        guard !texts.isEmpty else { throw Invalid(reason: "\(name) needs values") }
                    default: throw Invalid(reason: "\(name) takes strings")
                    }
                    if name == "wildcard" {
                        for text in texts { try validateWildcard(text) }
                        return .anythingButWildcard(texts)
                    }
                    return .anythingButIgnoringCase(texts)
                default:
                    throw Invalid(reason: "anything-but does not take \(name)")
                }
            default:
                throw Invalid(reason: "anything-but takes a value, a list, or an operator")
            }
        }

        /// `[op, n]` or `[op, n, op, n]` (a range: one lower and one upper bound).
        private static func numericComparisons(_ items: [FilterJSON]) throws(Invalid) -> [NumericComparison] {
            guard items.count == 2 || items.count == 4 else { throw Invalid(reason: "numeric takes one or two comparisons") }
            var comparisons: [NumericComparison] = []
            var index = 0
            while index < items.count {
                guard case .string(let name) = items[index], let op = NumericOperator(rawValue: name),
                    case .number(_, let bound) = items[index + 1]
                else { throw Invalid(reason: "numeric takes operator and number pairs") }
                comparisons.append(NumericComparison(op: op, bound: bound))
                index += 2
            }
            if comparisons.count == 2 {
                let lower: Set<NumericOperator> = [.greater, .greaterOrEqual]
                let upper: Set<NumericOperator> = [.less, .lessOrEqual]
                let (first, second) = (comparisons[0], comparisons[1])
                let isRange =
                    (lower.contains(first.op) && upper.contains(second.op) && first.bound < second.bound)
                    || (upper.contains(first.op) && lower.contains(second.op) && second.bound < first.bound)
                guard isRange else { throw Invalid(reason: "a numeric range needs a lower and a greater upper bound") }
            }
            return comparisons
        }

        private static func validateWildcard(_ text: String) throws(Invalid) {
            if text.contains("**") { throw Invalid(reason: "consecutive wildcard characters are not allowed") }
        }

        func matches(_ value: FilterJSON) -> Bool {
            switch self {
            case .exact(let expected):
                switch (expected, value) {
                case (.number(let a, _), .number(let b, _)): return a == b
                default: return expected == value
                }
            case .prefix(let text, let ignoringCase):
                guard case .string(let string) = value else { return false }
                return ignoringCase ? string.lowercased().hasPrefix(text.lowercased()) : string.hasPrefix(text)
            case .suffix(let text, let ignoringCase):
                guard case .string(let string) = value else { return false }
                return ignoringCase ? string.lowercased().hasSuffix(text.lowercased()) : string.hasSuffix(text)
            case .equalsIgnoringCase(let text):
                guard case .string(let string) = value else { return false }
                return string.lowercased() == text.lowercased()
            case .wildcard(let text):
                guard case .string(let string) = value else { return false }
                return Self.wildcardMatches(text, string)
            case .numeric(let comparisons):
                guard case .number(_, let number) = value else { return false }
                return comparisons.allSatisfy { $0.op.holds(number, $0.bound) }
            case .exists(let flag):
                return flag
            case .anythingBut(let excluded):
                return !excluded.contains { Rule.exact($0).matches(value) }
            case .anythingButPrefix(let text):
                guard case .string(let string) = value else { return false }
                return !string.hasPrefix(text)
            case .anythingButSuffix(let text):
                guard case .string(let string) = value else { return false }
                return !string.hasSuffix(text)
            case .anythingButIgnoringCase(let texts):
                guard case .string(let string) = value else { return false }
                return !texts.contains { $0.lowercased() == string.lowercased() }
            case .anythingButWildcard(let texts):
                guard case .string(let string) = value else { return false }
                return !texts.contains { Self.wildcardMatches($0, string) }
            }
        }

        /// `*` matches any run of characters, `\*` a literal star, `\\` a backslash.
        static func wildcardMatches(_ pattern: String, _ text: String) -> Bool {
            enum Token: Equatable {
                case star
                case character(Character)
            }
            var tokens: [Token] = []
            var escaping = false
            for character in pattern {
                if escaping {
                    tokens.append(.character(character))
                    escaping = false
                } else if character == "\\" {
                    escaping = true
                } else {
                    tokens.append(character == "*" ? .star : .character(character))
                }
            }
            if escaping { tokens.append(.character("\\")) }
            let characters = Array(text)
            // Greedy matching with one backtrack point: linear for patterns without stars between runs.
            var (t, c) = (0, 0)
            var starToken = -1
            var starCharacter = 0
            while c < characters.count {
                if t < tokens.count, tokens[t] == .character(characters[c]) {
                    t += 1
                    c += 1
                } else if t < tokens.count, tokens[t] == .star {
                    starToken = t
                    starCharacter = c
                    t += 1
                } else if starToken >= 0 {
                    t = starToken + 1
                    starCharacter += 1
                    c = starCharacter
                } else {
                    return false
                }
            }
            while t < tokens.count, tokens[t] == .star { t += 1 }
            return t == tokens.count
        }
    }
}
