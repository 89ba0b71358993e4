import FoundationEssentials
import SQSEngine

/// A message attribute as a request carries it (`BinaryValue` is base64 on both protocols' wires).
struct WireMessageAttribute: Decodable, Sendable, Equatable {
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
