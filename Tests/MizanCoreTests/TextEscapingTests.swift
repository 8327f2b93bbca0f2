import MizanCore
import Testing

@Suite("CSV fields written, and text put into HTML")
struct TextEscapingTests {
    @Test func aWrittenFieldReadsBackAsItWasWhateverMarksFollowItsQuotes() {
        let fields = ["plain", "a,b", "say \"hi\"", "x\"\u{059A}y", ",\u{0301}", "two\r\nlines", "", "أم خليل"]
        let line = CSVField.record(fields)
        #expect(CSVRecords.read(line, maximumRecordScalars: 4_096).map(\.fields) == [fields])
        #expect(CSVField.escape("x\"\u{059A}y") == "\"x\"\"\u{059A}y\"")
        #expect(CSVField.escape("plain") == "plain")
    }

    /// A quote with a mark after it is one Character, and was once left as
    /// it was: the browser ends the attribute there, and what follows the
    /// mark became an attribute of its own.
    @Test func markupCharactersAreEscapedEvenWithAMarkAfterThem() {
        let hostile = "Ali\"\u{0301} onfocus=alert(1) autofocus x=\"<\u{0301}b>&\u{0301}'\u{0301}"
        let escaped = HTMLText.escape(hostile)
        #expect(!escaped.unicodeScalars.contains { "\"<>'".unicodeScalars.contains($0) })
        #expect(
            escaped
                == "Ali&quot;\u{0301} onfocus=alert(1) autofocus x=&quot;&lt;\u{0301}b&gt;&amp;\u{0301}&#39;\u{0301}")
    }
}
