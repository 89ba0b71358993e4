import SQSEngine
import SQSProtocol
import Testing

@Suite("Query parameter flattening")
struct QueryParametersTests {
    @Test func listsComeBackInIndexOrderWhateverTheGaps() {
        let p = QueryParameters(["AttributeName.10": "c", "AttributeName.2": "b", "AttributeName.1": "a", "AttributeNameX": "no"])
        #expect(p.list("AttributeName") == ["a", "b", "c"])
        #expect(p.list("TagKey") == nil)
    }

    @Test func mapsReadNameValueAndKeyValuePairs() {
        let p = QueryParameters([
            "Attribute.1.Name": "VisibilityTimeout", "Attribute.1.Value": "40",
            "Attribute.2.Name": "DelaySeconds", "Attribute.2.Value": "5",
            "Tag.1.Key": "team", "Tag.1.Value": "a&b",
        ])
        #expect(p.map("Attribute") == ["VisibilityTimeout": "40", "DelaySeconds": "5"])
        #expect(p.map("Tag", key: "Key") == ["team": "a&b"])
        #expect(p.map("Tags", key: "Key") == nil)
    }

    @Test func structuresNestOneLevelPerIndex() throws {
        let p = QueryParameters([
            "SendMessageBatchRequestEntry.2.Id": "b",
            "SendMessageBatchRequestEntry.1.Id": "a",
            "SendMessageBatchRequestEntry.1.MessageAttribute.1.Name": "k",
            "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.DataType": "String",
            "SendMessageBatchRequestEntry.1.MessageAttribute.1.Value.StringValue": "v",
        ])
        let entries = try #require(p.structures("SendMessageBatchRequestEntry"))
        #expect(entries.map { $0["Id"] } == ["a", "b"])
        let attributes = try #require(entries[0].structures("MessageAttribute"))
        #expect(attributes[0].values == ["Name": "k", "Value.DataType": "String", "Value.StringValue": "v"])
    }

    @Test func integersAreCheckedAsTheQueryProtocolChecksThem() throws {
        let p = QueryParameters(["MaxNumberOfMessages": "5", "WaitTimeSeconds": "soon"])
        #expect(try p.integer("MaxNumberOfMessages") == 5)
        #expect(try p.integer("VisibilityTimeout") == nil)
        #expect(throws: EngineError.invalidParameter("WaitTimeSeconds", value: "soon", reason: "Must be an integer")) {
            try p.integer("WaitTimeSeconds")
        }
    }
}
