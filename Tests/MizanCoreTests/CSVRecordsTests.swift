import MizanCore
import Testing

@Suite("CSV records and the free text in them")
struct CSVRecordsTests {
    static func fields(_ text: String) -> [[String]] {
        CSVRecords.read(text, maximumRecordScalars: 4_096).map(\.fields)
    }

    /// The fuzzer's find: `"` followed by U+0653 is one grapheme cluster,
    /// and a reader going by Character saw no opening quote.
    @Test func aQuoteOrCommaBeforeACombiningMarkStillDelimits() {
        #expect(Self.fields("C0FFEE02,\"\u{0653}ب\"\"\"\r\n") == [["C0FFEE02", "\u{0653}ب\""]])
        #expect(Self.fields("a,\u{0301}b\n") == [["a", "\u{0301}b"]])
        #expect(Self.fields("\"x\"\u{0301}\n").count == 1)
        #expect(
            CSVRecords.read("\"x\"\u{0301}\n", maximumRecordScalars: 100).first?.error == "text after a closing quote")
    }

    @Test func everyLineEndingEndsARecordOnceAndCountsItsLine() {
        let records = CSVRecords.read("a\r\nb\rc\n\"d\r\ne\",f\ng", maximumRecordScalars: 100)
        #expect(records.map(\.fields) == [["a"], ["b"], ["c"], ["d\r\ne", "f"], ["g"]])
        #expect(records.map(\.line) == [1, 2, 3, 4, 6])
    }

    @Test func aRecordTooLongIsReportedAndTheNextOneIsRead() {
        let records = CSVRecords.read(String(repeating: "x", count: 50) + "\r\nshort\r\n", maximumRecordScalars: 10)
        #expect(records.count == 2)
        #expect(records[0].fields.isEmpty && records[0].error == "the line is longer than 10 characters")
        #expect(records[1].fields == ["short"] && records[1].line == 2)
    }

    @Test func aNameMayNotBeginWithACombiningMark() {
        let refused = FreeText.problem(with: "\u{0653}ب", as: "the name", limits: FreeText.name)
        #expect(refused == "the name begins with a combining mark (U+0653); type the letter it belongs to first")
        #expect(FreeText.problem(with: "آمنة", as: "the name", limits: FreeText.name) == nil)
        #expect(FreeText.problem(with: "A\u{0653}mina", as: "the name", limits: FreeText.name) == nil)
        #expect(FreeText.problem(with: "\u{20DD}", as: "the name", limits: FreeText.name) != nil)
    }
}
