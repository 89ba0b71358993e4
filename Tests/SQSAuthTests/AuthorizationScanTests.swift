import Testing

@testable import SQSAuth

/// The byte scanner of `Authorization` headers against the rules written with `split`.
@Suite("Authorization header scan")
struct AuthorizationScanTests {
    /// The rules: the algorithm runs from the first non-space to the next space; the rest splits at
    /// commas; each part is trimmed of spaces and tabs; empty parts are skipped; the first part without
    /// `=` is malformed; otherwise the last `Credential`, `SignedHeaders` and `Signature` win.
    private static func reference(_ header: [UInt8]) -> AuthorizationScan {
        let start = header.firstIndex { $0 != UInt8(ascii: " ") } ?? header.count
        let algorithmEnd = header[start...].firstIndex(of: UInt8(ascii: " ")) ?? header.count
        var scan = AuthorizationScan(algorithm: start..<algorithmEnd)
        for part in header[algorithmEnd...].split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
            let low = part.firstIndex { !AuthorizationScan.isBlank($0) } ?? part.endIndex
            let high = part[low...].lastIndex { !AuthorizationScan.isBlank($0) }.map { $0 + 1 } ?? low
            if low == high { continue }
            guard let equals = header[low..<high].firstIndex(of: UInt8(ascii: "=")) else {
                scan.malformedPair = low..<high
                return scan
            }
            switch String(decoding: header[low..<equals], as: UTF8.self) {
            case "Credential": scan.credential = (equals + 1)..<high
            case "SignedHeaders": scan.signedHeaders = (equals + 1)..<high
            case "Signature": scan.signature = (equals + 1)..<high
            default: break
            }
        }
        return scan
    }

    private static func scan(_ header: [UInt8]) -> AuthorizationScan {
        header.withUnsafeBufferPointer(AuthorizationScan.init)
    }

    @Test func aRealHeaderIsSplitIntoItsParts() {
        let header = Array(" AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/sqs/aws4_request,\tSignedHeaders=host;x-amz-date , Signature=ab12".utf8)
        let scan = Self.scan(header)
        func text(_ range: Range<Int>?) -> String? { range.map { String(decoding: header[$0], as: UTF8.self) } }
        #expect(text(scan.algorithm) == "AWS4-HMAC-SHA256")
        #expect(text(scan.credential) == "AKID/20240101/us-east-1/sqs/aws4_request")
        #expect(text(scan.signedHeaders) == "host;x-amz-date")
        #expect(text(scan.signature) == "ab12")
        #expect(scan.malformedPair == nil)
        let malformed = Array("AWS4-HMAC-SHA256 Credential=a, junk ,Signature=b".utf8)
        #expect(Self.scan(malformed).malformedPair.map { String(decoding: malformed[$0], as: UTF8.self) } == "junk")
    }

    @Test func generatedHeadersAgreeWithTheRules() {
        // A seeded xorshift generator: the same headers on every run.
        var state: UInt64 = 0x4155_5448_5343_414E
        func next() -> Int {
            state ^= state << 13
            state ^= state >> 7
            state ^= state << 17
            return Int(state % 1_000_003)
        }
        let pieces = ["AWS4-HMAC-SHA256", " ", " ", "\t", ",", ",", "=", "Credential", "SignedHeaders", "Signature", "x", "é", "Credential=", "Signature="]
        var malformed = 0
        var complete = 0
        for _ in 0..<20_000 {
            var header = ""
            for _ in 0..<(next() % 16) {
                header += pieces[next() % pieces.count]
            }
            let bytes = Array(header.utf8)
            let expected = Self.reference(bytes)
            if expected.malformedPair != nil { malformed += 1 }
            if expected.credential != nil && expected.signature != nil { complete += 1 }
            #expect(Self.scan(bytes) == expected, "\(header.debugDescription)")
        }
        // Both outcomes were exercised.
        #expect(malformed > 1_000 && complete > 100)
    }
}
