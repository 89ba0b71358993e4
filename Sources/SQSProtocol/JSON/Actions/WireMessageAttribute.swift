import FoundationEssentials
import SQSEngine

/// A message attribute as the JSON protocol carries it (`BinaryValue` is base64).
struct WireMessageAttribute: Decodable {
    var dataType: String?
    var stringValue: String?
    var binaryValue: Data?
    var stringListValues: [String]?
    var binaryListValues: [Data]?

    enum CodingKeys: String, CodingKey {
        case dataType = "DataType", stringValue = "StringValue", binaryValue = "BinaryValue"
        case stringListValues = "StringListValues", binaryListValues = "BinaryListValues"
    }

    var value: MessageAttributeValue {
        MessageAttributeValue(dataType: dataType ?? "", stringValue: stringValue, binaryValue: binaryValue.map { [UInt8]($0) })
    }

    static func values(_ wire: [String: WireMessageAttribute]?) -> [String: MessageAttributeValue] {
        guard let wire, !wire.isEmpty else { return [:] }
        return wire.mapValues(\.value)
    }
}

extension JSONWriter.ObjectWriter {
    /// Message attributes in the JSON protocol's shape; omitted when empty.
    public mutating func member(_ name: String, attributes: [String: MessageAttributeValue]) {
        guard !attributes.isEmpty else { return }
        member(name) { o in
            for key in attributes.keys.sorted() {
                let value = attributes[key]!
                o.member(key) { a in
                    a.member("DataType", value.dataType)
                    a.member("StringValue", value.stringValue)
                    a.member("BinaryValue", value.binaryValue.map { Data($0).base64EncodedString() })
                }
            }
        }
    }
}
