import SQSEngine
import Testing

struct MessageDigestTests {
    @Test func bodyDigest() {
        #expect(MessageDigest.md5Hex(of: "test") == "098f6bcd4621d373cade4e832627b4f6")
    }

    @Test func attributeDigestVectors() {
        let string: [String: MessageAttributeValue] = ["attribName1": .string("attribValue 1")]
        let number: [String: MessageAttributeValue] = [
            "customNumberTypeAttrib": MessageAttributeValue(dataType: "Number.float", stringValue: "4563442423554324324264524243.32543234")
        ]
        let binary: [String: MessageAttributeValue] = ["binaryAttribute": .binary(Array("Hello binary world!".utf8))]
        #expect(MessageDigest.md5Hex(of: string) == "19e27d4e946b072f3f58da80d94fd778")
        #expect(MessageDigest.md5Hex(of: number) == "9fe1b90bbd9965bdf77bac517c7d2495")
        #expect(MessageDigest.md5Hex(of: binary) == "31a92b15d92f8db860eda32aceb656c3")
        let all = string.merging(number) { a, _ in a }.merging(binary) { a, _ in a }
        #expect(MessageDigest.md5Hex(of: all) == "c932db14a896c663f83c260297d594ff")
        #expect(MessageDigest.md5Hex(of: [:]) == nil)
    }
}
