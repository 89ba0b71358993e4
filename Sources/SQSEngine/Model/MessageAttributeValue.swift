/// A message attribute (or message system attribute) value: a data type plus a string or binary value.
public struct MessageAttributeValue: Sendable, Hashable, Codable {
    /// `String`, `Number` or `Binary`, optionally followed by `.customType`.
    public var dataType: String
    /// The value of a `String` or `Number` attribute.
    public var stringValue: String?
    /// The (decoded) bytes of a `Binary` attribute.
    public var binaryValue: [UInt8]?

    /// Creates an attribute value.
    public init(dataType: String, stringValue: String? = nil, binaryValue: [UInt8]? = nil) {
        self.dataType = dataType
        self.stringValue = stringValue
        self.binaryValue = binaryValue
    }

    /// A `String` attribute.
    public static func string(_ value: String) -> MessageAttributeValue {
        MessageAttributeValue(dataType: "String", stringValue: value)
    }

    /// A `Number` attribute.
    public static func number(_ value: String) -> MessageAttributeValue {
        MessageAttributeValue(dataType: "Number", stringValue: value)
    }

    /// A `Binary` attribute.
    public static func binary(_ value: [UInt8]) -> MessageAttributeValue {
        MessageAttributeValue(dataType: "Binary", binaryValue: value)
    }

    /// The base type (`String`, `Number` or `Binary`) without the custom suffix.
    public var baseType: Substring {
        dataType.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false).first ?? Substring(dataType)
    }

    /// Bytes this attribute counts toward the message size: name, type and value.
    func size(name: String) -> Int {
        name.utf8.count + dataType.utf8.count + (stringValue?.utf8.count ?? 0) + (binaryValue?.count ?? 0)
    }
}
