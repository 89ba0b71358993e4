import SQSEngine
import Testing

@testable import SQSProtocol

/// The hot actions' scanner (`JSONRequest.fastDecode`) against Codable (`codableDecode`): when the
/// scanner reads a body, Codable must read the same request from it; when it gives up, Codable
/// decides (and words any error). The well-formed bodies must take the fast path, or the
/// optimisation silently stopped working.
@Suite struct JSONFastPathTests {
    static let url = #""QueueUrl":"http://localhost:9324/000000000000/q""#

    /// Bodies the scanner must read, each with its action.
    static let readable: [(SQSAction, String)] = [
        (.sendMessage, #"{\#(url),"MessageBody":"hello"}"#),
        (.sendMessage, #" { \#(url) , "MessageBody" : "a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00" , "DelaySeconds" : 5 } "#),
        (.sendMessage, #"{\#(url),"MessageBody":"ünïcödé 😀","DelaySeconds":-0,"Unknown":{"a":[1,true,false,null,"x"]}}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","MessageGroupId":"g","MessageDeduplicationId":"d","Id":null}"#),
        (
            .sendMessage,
            #"{\#(url),"MessageBody":"x","MessageAttributes":{"s":{"DataType":"String","StringValue":"v"},"b":{"DataType":"Binary","BinaryValue":"AAEC/w=="},"n":{"DataType":"Number.int","StringValue":"12"}}}"#
        ),
        (.sendMessage, #"{\#(url),"MessageBody":"x","MessageSystemAttributes":{"AWSTraceHeader":{"DataType":"String","StringValue":"Root=1"}}}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","MessageAttributes":null,"DelaySeconds":null}"#),
        (
            .sendMessage,
            #"{\#(url),"MessageBody":"x","MessageAttributes":{"l":{"DataType":"String","StringListValues":["a","b"],"BinaryListValues":["AA=="]}}}"#
        ),
        // Long runs: the scanner reads eight bytes at a time up to the quote, escape or non-ASCII byte.
        (.sendMessage, #"{\#(url),"MessageBody":"0123456789abcdefghij\"klmnopqrstuvwxyz0123456789é0123456789\u00e9 end of it"}"#),
        (.sendMessageBatch, #"{\#(url),"Entries":[{"Id":"0","MessageBody":"a"},{"Id":"1","MessageBody":"b","DelaySeconds":3}]}"#),
        (.sendMessageBatch, #"{\#(url),"Entries":[]}"#),
        (.sendMessageBatch, #"{"Entries":null}"#),
        (.receiveMessage, #"{\#(url),"MaxNumberOfMessages":10,"WaitTimeSeconds":20,"VisibilityTimeout":0}"#),
        (
            .receiveMessage,
            #"{\#(url),"AttributeNames":["All"],"MessageSystemAttributeNames":["SenderId"],"MessageAttributeNames":[".*"],"ReceiveRequestAttemptId":"r"}"#
        ),
        (.deleteMessage, #"{\#(url),"ReceiptHandle":"AQEB+/="}"#),
        (.changeMessageVisibility, #"{\#(url),"ReceiptHandle":"h","VisibilityTimeout":43200}"#),
        (.deleteMessageBatch, #"{\#(url),"Entries":[{"Id":"a","ReceiptHandle":"h1"},{"Id":"b","ReceiptHandle":"h2"}]}"#),
        (.changeMessageVisibilityBatch, #"{\#(url),"Entries":[{"Id":"a","ReceiptHandle":"h1","VisibilityTimeout":9}]}"#),
        (.receiveMessage, "{}"),
    ]

    /// Bodies the scanner must leave to Codable (which reads some and refuses others).
    static let leftToCodable: [(SQSAction, String)] = [
        (.sendMessage, ""),
        (.sendMessage, #"{\#(url),"MessageBody":"x","DelaySeconds":5.0}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","DelaySeconds":1e1}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","DelaySeconds":05}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","DelaySeconds":99999999999999999999}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","DelaySeconds":"5"}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","MessageBody":"y"}"#),
        (.sendMessage, #"{\#(url),"Message\u0042ody":"x"}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"\ud83d"}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x",}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x"} x"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","MessageAttributes":{"b":{"DataType":"Binary","BinaryValue":"not base64!"}}}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","MessageAttributes":{"a":null}}"#),
        (.sendMessage, #"{\#(url),"MessageBody":"x","MessageAttributes":{"a":{},"a":{}}}"#),
        (.sendMessage, "\u{FEFF}{\(url),\"MessageBody\":\"x\"}"),
        (.sendMessage, "{\(url),\"MessageBody\":\"tab\there\"}"),
        (.sendMessage, "{\(url),\"MessageBody\":\"0123456789abcdef\tafter sixteen bytes\"}"),
        (.sendMessage, "{\(url),\"MessageBody\":\"0123456789abcdefghijklmnopqrstuv\u{1}\"}"),
        (.sendMessageBatch, #"{\#(url),"Entries":[null]}"#),
        (.sendMessageBatch, #"{\#(url),"Entries":{"Id":"0"}}"#),
        (.receiveMessage, #"{\#(url),"AttributeNames":"All"}"#),
        (.receiveMessage, #"{\#(url),"AttributeNames":[null]}"#),
        (.deleteMessageBatch, #"{\#(url),"Entries":[{"Id":"a","Id":"b"}]}"#),
        (.deleteMessage, "[]"),
        (.deleteMessage, "null"),
    ]

    @Test func wellFormedBodiesTakeTheFastPathAndMatchCodable() throws {
        for (action, body) in Self.readable {
            let request = JSONRequest(body: Array(body.utf8))
            let fast = try #require(request.fastDecode(action), "not read by the scanner: \(body)")
            let codable = try request.codableDecode(action)
            #expect(Self.same(fast, codable), "differs from Codable: \(body)")
        }
    }

    @Test func unusualBodiesAreLeftToCodable() {
        for (action, body) in Self.leftToCodable {
            #expect(JSONRequest(body: Array(body.utf8)).fastDecode(action) == nil, "the scanner read: \(body)")
        }
        let invalidUTF8 = Array(#"{"QueueUrl":"q","MessageBody":""#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8)
        #expect(JSONRequest(body: invalidUTF8).fastDecode(.sendMessage) == nil)
        let invalidKey = Array(#"{"QueueUrl":"q",""#.utf8) + [0xFF] + Array(#"":1}"#.utf8)
        #expect(JSONRequest(body: invalidKey).fastDecode(.sendMessage) == nil)
    }

    /// Thousands of mutations of the readable bodies: whatever the scanner reads, Codable reads the same.
    @Test func mutatedBodiesNeverDisagreeWithCodable() throws {
        var random = SplitMix64(seed: 0x5157_5113)
        let alphabet = Array(#"{}[]":,\ 0123456789.-eEtrufalsnAQU/bx"#.utf8) + [0xC3, 0xA9, 0x00, 0x0A]
        var read = 0
        for round in 0..<20_000 {
            let (action, text) = Self.readable[round % Self.readable.count]
            var body = Array(text.utf8)
            for _ in 0...Int(random.next() % 3) where !body.isEmpty {
                let index = Int(random.next() % UInt64(body.count))
                switch random.next() % 3 {
                case 0: body.remove(at: index)
                case 1: body.insert(alphabet[Int(random.next() % UInt64(alphabet.count))], at: index)
                default: body[index] = alphabet[Int(random.next() % UInt64(alphabet.count))]
                }
            }
            let request = JSONRequest(body: body)
            guard let fast = request.fastDecode(action) else { continue }
            read += 1
            let codable = try? request.codableDecode(action)
            #expect(codable.map { Self.same(fast, $0) } == true, "scanner and Codable disagree on \(String(decoding: body, as: UTF8.self))")
        }
        #expect(read > 1_000, "too few mutations were read to mean anything: \(read)")
    }

    static func same(_ a: SQSRequest, _ b: SQSRequest) -> Bool {
        switch (a, b) {
        case (.sendMessage(let x), .sendMessage(let y)): x == y
        case (.sendMessageBatch(let x), .sendMessageBatch(let y)): x == y
        case (.receiveMessage(let x), .receiveMessage(let y)): x == y
        case (.deleteMessage(let x), .deleteMessage(let y)): x == y
        case (.deleteMessageBatch(let x), .deleteMessageBatch(let y)): x == y
        case (.changeMessageVisibility(let x), .changeMessageVisibility(let y)): x == y
        case (.changeMessageVisibilityBatch(let x), .changeMessageVisibilityBatch(let y)): x == y
        default: false
        }
    }
}

