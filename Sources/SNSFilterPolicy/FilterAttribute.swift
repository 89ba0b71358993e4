/// A message attribute as a filter policy sees it: its data type and its string value (binary
/// attributes carry no value).
public struct FilterAttribute: Sendable, Equatable {
    /// `String`, `Number`, `String.Array` or `Binary`, optionally with a `.custom` suffix.
    public var dataType: String
    /// The `StringValue`; `nil` for binary attributes.
    public var value: String?

    /// Creates an attribute.
    public init(dataType: String, value: String?) {
        self.dataType = dataType
        self.value = value
    }

    /// The values a policy key is matched against: one for `String` and `Number`, the elements
    /// of a `String.Array`, none for `Binary` (or an array that is not JSON).
    var values: [FilterValue] {
        guard let value else { return [] }
        let base = dataType.split(separator: ".", maxSplits: 1).first.map(String.init) ?? dataType
        if dataType == "String.Array" {
            guard case .array(let elements)? = PolicyJSON.parse(value) else { return [] }
            return elements.compactMap(FilterValue.init(scalar:))
        }
        switch base {
        case "Number": return [Double(value).map(FilterValue.number) ?? .string(value)]
        case "String": return [.string(value)]
        default: return []
        }
    }
}

extension FilterValue {
    /// The scalar of a JSON value; `nil` for arrays and objects.
    init?(scalar: PolicyJSON) {
        switch scalar {
        case .string(let text): self = .string(text)
        case .number(let number): self = .number(number)
        case .bool(let flag): self = .bool(flag)
        case .null: self = .null
        case .array, .object: return nil
        }
    }
}
