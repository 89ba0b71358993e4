import SQSEngine
@testable import SQSProtocol
import Testing

@Suite("Queue URLs, credentials and the JSON writer")
struct WireTests {
    let context = ProtocolFixture.context

    @Test func queueURLsResolveByAccountAndNameWhateverTheHost() throws {
        let expected = QueueKey(account: "000000000000", region: "us-east-1", name: "orders")
        #expect(try context.queueKey(fromURL: "http://localhost:9324/000000000000/orders") == expected)
        #expect(try context.queueKey(fromURL: "https://sqs.us-east-1.amazonaws.com/000000000000/orders") == expected)
        #expect(try context.queueKey(fromURL: "http://sqs.localhost:4566/queue/us-east-1/000000000000/orders") == expected)
        #expect(try context.queueKey(fromURL: "orders") == expected)
        #expect(try context.queueKey(fromURL: "http://h/123456789012/orders").account == "123456789012")
        #expect(throws: EngineError.queueDoesNotExist) { try context.queueKey(fromURL: "http://h/notanaccount/orders") }
        #expect(throws: EngineError.queueDoesNotExist) { try context.queueKey(fromURL: "http://h") }
        #expect(try context.queueKey(fromURL: "http://h/000000000000/orders/") == expected)
        #expect(try context.queueKey(fromURL: "http://h/000000000000/orders?Action=SendMessage#x") == expected)
        #expect(try context.queueKey(fromURL: "/000000000000//orders") == expected)
        #expect(throws: EngineError.queueDoesNotExist) { try context.queueKey(fromURL: "http://h/") }
        #expect(throws: EngineError.queueDoesNotExist) { try context.queueKey(fromURL: "/orders") }
        #expect(throws: EngineError.queueDoesNotExist) { try context.queueKey(fromURL: "http://h/1234567890123/orders") }
        #expect(throws: EngineError.missingParameter("QueueUrl")) { try context.queueKey(fromURL: "") }
        #expect(context.queueURL(expected) == "http://localhost:9324/000000000000/orders")
    }

    @Test func sigV4ScopeGivesKeyRegionAndAccount() {
        let header = "AWS4-HMAC-SHA256 Credential=123456789012/20240101/eu-west-1/sqs/aws4_request, SignedHeaders=host, Signature=abc"
        let credential = SigV4Credential(authorization: Substring(header))
        #expect(credential == SigV4Credential(accessKey: "123456789012", region: "eu-west-1"))
        #expect(credential?.account(default: "000000000000") == "123456789012")
        #expect(SigV4Credential(accessKey: "AKIDEXAMPLE", region: "x").account(default: "000000000000") == "000000000000")
        #expect(SigV4Credential(authorization: "Basic dXNlcjpwYXNz") == nil)
        #expect(SigV4Credential(authorization: "AKID/20240101/us-west-2/sqs/aws4_request")?.region == "us-west-2")
        #expect(SigV4Credential(authorization: "Credential=/20240101/us-west-2/sqs/aws4_request") == nil)
        #expect(SigV4Credential(authorization: "Credential=AKID/20240101//sqs/aws4_request") == nil)
        #expect(SigV4Credential(authorization: "Credential=AKID/20240101/r/sqs") == nil)
        #expect(SigV4Credential(authorization: "Credential=ÄKID/d/ré/s/t, x") == SigV4Credential(accessKey: "ÄKID", region: "ré"))
    }

    /// The scope's rules, read field by field with `split`: the byte scanner must agree with them.
    private static func referenceScope(_ text: String) -> SigV4Credential? {
        let scope = text.firstRange(of: "Credential=").map { text[$0.upperBound...] } ?? text[...]
        let end = scope.firstIndex(where: { $0 == "," || $0 == " " }) ?? scope.endIndex
        let fields = scope[..<end].split(separator: "/", omittingEmptySubsequences: false)
        guard fields.count >= 5, !fields[0].isEmpty, !fields[2].isEmpty else { return nil }
        return SigV4Credential(accessKey: String(fields[0]), region: String(fields[2]))
    }

    @Test func sigV4ScopeScannerAgreesWithTheRulesOnGeneratedHeaders() {
        var random = SplitMix64(seed: 0x5349_4756_3443_5245)
        let pieces = ["Credential=", "Credential", "AKID", "/", "/", "/", "20240101", "us-east-1", ",", " ", "é", "C", "=", "x"]
        var parsed = 0
        for _ in 0..<20_000 {
            var text = ""
            for _ in 0..<Int(random.next() % 14) {
                text += pieces[Int(random.next() % UInt64(pieces.count))]
            }
            let expected = Self.referenceScope(text)
            if expected != nil { parsed += 1 }
            #expect(SigV4Credential(authorization: Substring(text)) == expected, "\(text.debugDescription)")
        }
        #expect(parsed > 50)
    }

    @Test func writerEscapesStringsAndOmitsEmptyMembers() {
        var writer = JSONWriter()
        writer.object { o in
            o.member("s", "a\"b\\c\n\u{1}é")
            o.member("none", nil as String?)
            o.member("empty", [String]())
            o.member("map", [String: String]())
            o.member("n", 42)
            o.member("b", true)
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"s":"a\"b\\c\n\u0001é","n":42,"b":true}"#)
    }

    @Test func everyEngineErrorCodeHasAWireForm() {
        let codes: [EngineError.Code] = [
            .queueDoesNotExist, .queueNameExists, .queueDeletedRecently, .invalidParameterValue, .missingParameter,
            .invalidAttributeName, .invalidAttributeValue, .receiptHandleIsInvalid, .invalidIdFormat, .invalidMessageContents,
            .messageNotInflight, .batchEntryIdsNotDistinct, .emptyBatchRequest, .invalidBatchEntryId, .tooManyEntriesInBatchRequest,
            .batchRequestTooLong, .purgeQueueInProgress, .overLimit, .unsupportedOperation, .resourceNotFound,
        ]
        for code in codes {
            let wire = AWSErrorMapping.wire(for: code)
            #expect(wire.senderFault, "\(code)")
            #expect((400..<500).contains(wire.status), "\(code)")
        }
        #expect(AWSErrorMapping.wire(for: .queueNameExists).queryCode == "QueueAlreadyExists")
        #expect(AWSErrorMapping.wire(for: .overLimit).status == 403)
        #expect(AWSErrorMapping.batchCode(for: .invalidParameterValue) == "InvalidParameterValue")
    }
}

@Suite struct QueueNameFromReferenceTests {
    /// The byte-wise reading against the plain definition: the last non-empty `/` segment before `?` or `#`.
    @Test func lastPathSegmentMatchesTheDefinition() {
        func definition(_ reference: String) -> String? {
            var path = Substring(reference)
            if let end = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<end] }
            return path.split(separator: "/").last.map(String.init)
        }
        let references = [
            "http://localhost:9324/000000000000/orders", "http://h/1/q/", "q", "/", "//", "?x", "a?b/c", "a#b", "http://h/1/é-q",
            "http://h/1/q.fifo?Action=SendMessage", "x//y//", "", "😀/🙂", "/a/b#/c",
        ]
        for reference in references {
            #expect(SQSRequest.lastPathSegment(reference) == definition(reference), "\(reference)")
        }
    }
}
