import Foundation
import MizanCore

/// A households file to import: UTF-8 (a byte-order mark is allowed),
/// a header naming the columns `card_uid` and `name` (in any order, other
/// columns ignored), one household per line, fields quoted as spreadsheets
/// quote them. Read and checked as a whole: every problem is reported with
/// its line number, and nothing is imported unless there is none.
struct HouseholdCSV {
    struct Row: Equatable {
        let line: Int
        let card: CardUID
        let name: String
    }

    struct Problem: Equatable, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    /// The rows, or every problem found.
    static func read(_ text: String, registered: Set<CardUID>) -> Result<[Row], ProblemList> {
        var problems: [Problem] = []
        var lines = records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard !lines.isEmpty, let header = lines.first else {
            return .failure(ProblemList([Problem(line: 1, message: "the file is empty; the first line must name the columns card_uid,name")]))
        }
        lines.removeFirst()
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let cardColumn = columns.firstIndex(of: "card_uid"), let nameColumn = columns.firstIndex(of: "name") else {
            return .failure(ProblemList([Problem(line: header.line, message: "the header must name the columns card_uid and name, got \(columns.joined(separator: ","))")]))
        }
        var rows: [Row] = []
        var seen: [CardUID: Int] = [:]
        for record in lines where !(record.fields.count == 1 && record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty) {
            if let error = record.error {
                problems.append(Problem(line: record.line, message: error))
                continue
            }
            guard record.fields.count == columns.count else {
                problems.append(Problem(line: record.line, message: "\(record.fields.count) fields, the header has \(columns.count)"))
                continue
            }
            let cardText = record.fields[cardColumn].trimmingCharacters(in: .whitespaces)
            let name = record.fields[nameColumn].trimmingCharacters(in: .whitespaces)
            guard let card = CardUID(cardText) else {
                problems.append(Problem(line: record.line, message: "\"\(cardText)\" is not a card UID (2 to 32 hex digits)"))
                continue
            }
            if let problem = FreeText.problem(with: name, as: "the name", limits: FreeText.name) {
                problems.append(Problem(line: record.line, message: problem))
            }
            if let first = seen[card] {
                problems.append(Problem(line: record.line, message: "card \(card) appears already on line \(first)"))
            } else if registered.contains(card) {
                problems.append(Problem(line: record.line, message: "card \(card) is already registered"))
            }
            seen[card] = seen[card] ?? record.line
            rows.append(Row(line: record.line, card: card, name: name))
        }
        if rows.isEmpty && problems.isEmpty {
            problems.append(Problem(line: header.line, message: "no households after the header"))
        }
        return problems.isEmpty ? .success(rows) : .failure(ProblemList(problems))
    }

    struct ProblemList: Error, Equatable {
        let problems: [Problem]
        init(_ problems: [Problem]) { self.problems = problems }
    }

    struct Record {
        let line: Int
        var fields: [String]
        var error: String?
    }

    /// The longest record read, in characters: a households line is a
    /// card and a name; anything longer is refused, never held whole.
    static let maximumRecordCharacters = 4_096
    /// The largest households file read (a village's is a few hundred KiB).
    static let maximumFileBytes = 8 * 1024 * 1024

    /// RFC 4180 records: quoted fields may hold commas, doubled quotes and
    /// line breaks; a record's line is where it starts. Read character by
    /// character without copying the text; a record longer than
    /// `maximumRecordCharacters` is reported and skipped, not kept.
    static func records(_ text: String) -> [Record] {
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
