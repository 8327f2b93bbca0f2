/// RFC 4180 CSV: quoted fields may hold commas, doubled quotes and line
/// breaks; a record's line is where it starts. The one reader for the
/// households files technicians import and the totals reports cooperatives
/// bring back.
public enum CSVRecords {
    public struct Record: Hashable, Sendable {
        /// The line the record starts on (1-based).
        public let line: Int
        /// Its fields; empty when the record is refused.
        public var fields: [String]
        /// Why the record is refused, if it is.
        public var error: String?
    }

    /// The records of `text`. Read character by character without copying
    /// the text; a record longer than `maximumRecordCharacters` is reported
    /// and skipped, not kept.
    public static func read(_ text: String, maximumRecordCharacters: Int) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = ""
        var length = 0
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var error: String?
        var characters = text.makeIterator()
        var peeked: Character?
        func next() -> Character? {
            if let character = peeked {
                peeked = nil
                return character
            }
            return characters.next()
        }
        func endRecord() {
            fields.append(field)
            records.append(Record(line: recordLine, fields: error == nil ? fields : [], error: error))
            fields = []
            field = ""
            length = 0
            error = nil
            afterQuote = false
        }
        while let character = next() {
            length += 1
            if length > maximumRecordCharacters {
                if error == nil {
                    error = "the line is longer than \(maximumRecordCharacters) characters"
                    fields = []
                    field = ""
                }
                // Skip to the end of the line, keeping nothing of it.
                if character == "\n" || character == "\r\n" || character == "\r" {
                    quoted = false
                    endRecord()
                    line += 1
                    recordLine = line
                }
                continue
            }
            if quoted {
                if character == "\"" {
                    let following = next()
                    if following == "\"" {
                        field.append("\"")
                    } else {
                        peeked = following
                        quoted = false
                        afterQuote = true
                    }
                } else {
                    if character == "\n" || character == "\r\n" { line += 1 }
                    field.append(character)
                }
                continue
            }
            switch character {
            case ",":
                fields.append(field)
                field = ""
                afterQuote = false
            case "\n", "\r\n", "\r":
                endRecord()
                line += 1
                recordLine = line
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
            default:
                if afterQuote, character != " " {
                    error = error ?? "text after a closing quote"
                }
                field.append(character)
            }
        }
        if quoted { error = error ?? "a quote is never closed" }
        if !field.isEmpty || !fields.isEmpty || quoted || error != nil { endRecord() }
        return records
    }
}
