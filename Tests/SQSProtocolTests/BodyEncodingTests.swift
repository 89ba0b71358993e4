import SQSEngine
import SQSProtocol
import Testing

/// AWS's JSON protocol is UTF-8 without a byte-order mark: other encodings are a
/// `SerializationException`, even though Foundation's decoder would read them.
@Suite("JSON body encoding")
struct BodyEncodingTests {
    static let body = #"{"QueueName":"orders"}"#

    static func utf16(_ text: String, bigEndian: Bool, bom: Bool) -> [UInt8] {
        var bytes: [UInt8] = bom ? (bigEndian ? [0xFE, 0xFF] : [0xFF, 0xFE]) : []
        for unit in text.utf16 {
            let high = UInt8(unit >> 8)
            let low = UInt8(unit & 0xFF)
            bytes += bigEndian ? [high, low] : [low, high]
        }
        return bytes
    }

    @Test(arguments: [
        [0xEF, 0xBB, 0xBF] + Array(body.utf8),
        utf16(body, bigEndian: false, bom: true), utf16(body, bigEndian: true, bom: true),
        utf16(body, bigEndian: false, bom: false), utf16(body, bigEndian: true, bom: false),
        Array(#"{"QueueName":"orders\#u{FF}"}"#.utf8).map { $0 == 0xC3 ? 0xFF : $0 },
    ])
    func bodiesThatAreNotPlainUTF8AreASerializationException(_ bytes: [UInt8]) async throws {
        let fixture = try await ProtocolFixture()
        let response = await fixture.handler.handle(target: "AmazonSQS.CreateQueue", body: bytes, context: ProtocolFixture.context)
        let text = String(decoding: response.body, as: UTF8.self)
        #expect(response.status == 400)
        #expect(text.contains(#""__type":"com.amazon.coral.service#SerializationException""#), "\(text)")
        // Nothing was created.
        #expect(await fixture.call("GetQueueUrl", #"{"QueueName":"orders"}"#).status == 400)
    }

    @Test func plainUTF8StillWorks() async throws {
        let fixture = try await ProtocolFixture()
        _ = await fixture.ok("CreateQueue", #"{"QueueName":"orders","tags":{"note":"héllo ✓"}}"#)
    }
}
