import FoundationEssentials

/// A JSON value as a policy document holds it, members in no particular order.
enum PolicyJSON: Sendable, Decodable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([PolicyJSON])
    case object([String: PolicyJSON])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([PolicyJSON].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: PolicyJSON].self))
        }
    }

    /// Parses JSON text.
    static func parse(_ text: String) -> PolicyJSON? {
        try? JSONDecoder().decode(PolicyJSON.self, from: Data(text.utf8))
    }

    /// A scalar as policy text: strings as they are, `true`/`false`, numbers without a needless `.0`.
    var scalarText: String? {
        switch self {
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int64(number)) : String(number)
        default: nil
        }
    }

    /// A string or a list of scalars as a list of texts; `nil` for anything else.
    var textList: [String]? {
        if let text = scalarText { return [text] }
        guard case .array(let items) = self else { return nil }
        var texts: [String] = []
        for item in items {
            guard let text = item.scalarText else { return nil }
            texts.append(text)
        }
        return texts
    }
}
