import SQSAuth
import Testing

/// The canonical headers block against SigV4's definition, and header names matched in any case.
@Suite("Canonical headers")
struct CanonicalHeadersTests {
    /// SigV4's rule, written plainly: trim, then make each run of spaces and tabs one space.
    static func definition(_ value: String) -> String {
        value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
    }

    @Test("values are trimmed and their inner runs of blanks collapsed, as the definition says")
    func trimmedValuesAgreeWithTheDefinition() {
        var generator = SystemRandomNumberGenerator()
        let alphabet: [Character] = [" ", " ", "\t", "a", "b", "é", "-", ":"]
        var values = ["", " ", "\t", "x", "a b", "a  b", " a", "a ", "\ta\tb\t", "20240101T003000Z", "application/x-amz-json-1.0"]
        for _ in 0..<2000 {
            let length = Int.random(in: 0...12, using: &generator)
            values.append(String((0..<length).map { _ in alphabet.randomElement(using: &generator)! }))
        }
        for value in values {
            let block = CanonicalRequest.headers(["x-test"], from: SigV4HeaderList([("X-Test", value)]))
            #expect(block == "x-test:\(Self.definition(value))\n", "\(Array(value.utf8))")
        }
        let twice = CanonicalRequest.headers(["x-test"], from: SigV4HeaderList([("x-test", " a  b "), ("X-TEST", "c")]))
        #expect(twice == "x-test:a b,c\n")
    }

    @Test("header names match ignoring ASCII case only")
    func namesMatchIgnoringCase() {
        #expect(SigV4HeaderList.sigV4NameMatches("X-Amz-Date", "x-amz-date"))
        #expect(SigV4HeaderList.sigV4NameMatches("x-amz-date", "X-AMZ-DATE"))
        #expect(SigV4HeaderList.sigV4NameMatches("host", "host"))
        #expect(!SigV4HeaderList.sigV4NameMatches("host", "hosts"))
        #expect(!SigV4HeaderList.sigV4NameMatches("x-amz-date", "x-amz-datf"))
        // 0x40 '@' and 0x60 '`' differ only in the case bit but are not letters.
        #expect(!SigV4HeaderList.sigV4NameMatches("a@", "a`"))
        #expect(!SigV4HeaderList.sigV4NameMatches("[", "{"))
    }
}
