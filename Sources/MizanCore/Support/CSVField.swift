/// A field as RFC 4180 writes it: quoted, with its quotes doubled, when it
/// holds a comma, a quote or a line break; as it is otherwise. The one
/// writer for every CSV file the project hands out, so that `CSVRecords`
/// reads each of them back field for field.
public enum CSVField {
    /// Goes by Unicode scalar, not by Character: a quote or comma followed
    /// by a combining mark is one grapheme cluster, and a search by
    /// Character would neither see it nor double it.
    public static func escape(_ field: String) -> String {
        guard field.unicodeScalars.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
            return field
        }
        var quoted = String.UnicodeScalarView()
        quoted.append("\"")
        for scalar in field.unicodeScalars {
            quoted.append(scalar)
            if scalar == "\"" { quoted.append("\"") }
        }
        quoted.append("\"")
        return String(quoted)
    }

    /// One record: its fields escaped and joined by commas (no line end).
    public static func record(_ fields: [String]) -> String {
        fields.map(escape).joined(separator: ",")
    }
}
