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

    /// The records of `text`, read by Unicode scalar without copying the
    /// text. Not by Character: a quote or comma followed by a combining
    /// mark is one grapheme cluster, and reading by cluster would take a
    /// quoted name that begins with a mark for unquoted text. A record
    /// longer than `maximumRecordScalars` is reported and skipped, not kept.
    public static func read(_ text: String, maximumRecordScalars: Int) -> [Record] {
        var records: [Record] = []
        var fields: [String] = []
        var field = String.UnicodeScalarView()
        var length = 0
        var quoted = false
        var afterQuote = false
        var line = 1
        var recordLine = 1
        var error: String?
        var scalars = text.unicodeScalars.makeIterator()
        var peeked: Unicode.Scalar?
        func next() -> Unicode.Scalar? {
            if let scalar = peeked {
                peeked = nil
                return scalar
            }
            return scalars.next()
        }
        /// Whether `scalar` ends a line, taking the "\n" of a "\r\n" with it.
        func endsLine(_ scalar: Unicode.Scalar) -> Bool {
            if scalar == "\n" { return true }
            guard scalar == "\r" else { return false }
            let following = next()
            if following != "\n" { peeked = following }
            return true
        }
        func endRecord() {
            fields.append(String(field))
            records.append(Record(line: recordLine, fields: error == nil ? fields : [], error: error))
            fields = []
            field = String.UnicodeScalarView()
            length = 0
            error = nil
            afterQuote = false
        }
        while let scalar = next() {
            length += 1
            if length > maximumRecordScalars {
                if error == nil {
                    error = "the line is longer than \(maximumRecordScalars) characters"
                    fields = []
                    field = String.UnicodeScalarView()
                }
                // Skip to the end of the line, keeping nothing of it.
                if endsLine(scalar) {
                    quoted = false
                    endRecord()
                    line += 1
                    recordLine = line
                }
                continue
            }
            if quoted {
                if scalar == "\"" {
                    let following = next()
                    if following == "\"" {
                        field.append("\"")
                    } else {
                        peeked = following
                        quoted = false
                        afterQuote = true
                    }
                } else if scalar == "\r" {
                    // A line break inside quotes is kept as it was written.
                    field.append(scalar)
                    let following = next()
                    if following == "\n" {
                        field.append("\n")
                    } else {
                        peeked = following
                    }
                    line += 1
                } else {
                    if scalar == "\n" { line += 1 }
                    field.append(scalar)
                }
                continue
            }
            switch scalar {
            case ",":
                fields.append(String(field))
                field = String.UnicodeScalarView()
                afterQuote = false
            case "\"" where field.isEmpty && !afterQuote:
                quoted = true
            default:
                if endsLine(scalar) {
                    endRecord()
                    line += 1
                    recordLine = line
                    continue
                }
                if afterQuote, scalar != " " {
                    error = error ?? "text after a closing quote"
                }
                field.append(scalar)
            }
        }
        if quoted { error = error ?? "a quote is never closed" }
        if !field.isEmpty || !fields.isEmpty || quoted || error != nil { endRecord() }
        return records
    }
}
