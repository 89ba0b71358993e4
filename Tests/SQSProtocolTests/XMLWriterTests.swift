import SQSProtocol
import Testing

@Suite("XML writer")
struct XMLWriterTests {
    func written(_ text: String) -> String {
        var writer = XMLWriter()
        writer.element("Body", text)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    @Test func markupCharactersAreEntities() {
        #expect(written(#"a<b>&"c" 'd'"#) == "<Body>a&lt;b&gt;&amp;&quot;c&quot; 'd'</Body>")
    }

    @Test func cdataEndCannotCloseAnything() {
        #expect(written("x]]>y") == "<Body>x]]&gt;y</Body>")
    }

    @Test func carriageReturnIsANumericReferenceAsAWSWritesIt() {
        #expect(written("a\r\nb\tc") == "<Body>a&#xD;\nb\tc</Body>")
        #expect(written("\u{1}\u{1F}") == "<Body>&#x1;&#x1F;</Body>")
    }

    @Test func nonASCIIIsWrittenAsUTF8() {
        #expect(written("é ✓ 𝄞 \u{10FFFD}") == "<Body>é ✓ 𝄞 \u{10FFFD}</Body>")
    }

    @Test func nilElementsAreOmittedAndScalarsWritten() {
        var writer = XMLWriter()
        writer.element("R") { w in
            w.element("None", nil as String?)
            w.element("N", 42)
            w.element("B", false)
            w.element("Empty", "")
        }
        #expect(String(decoding: writer.bytes, as: UTF8.self) == "<R><N>42</N><B>false</B><Empty></Empty></R>")
    }
}
