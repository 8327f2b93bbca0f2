import Foundation
public import MizanCore

/// A households file to import: UTF-8 (a byte-order mark is allowed),
/// a header naming the columns `card_uid` and `name` (in any order, other
/// columns ignored), one household per line, fields quoted as spreadsheets
/// quote them. Read and checked as a whole: every problem is reported with
/// its line number, and nothing is imported unless there is none.
public struct HouseholdCSV {
    public struct Row: Equatable, Sendable {
        public let line: Int
        public let card: CardUID
        public let name: String
    }

    public struct Problem: Equatable, Sendable, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "line \(line): \(message)" }
    }

    /// The rows, or every problem found.
    public static func read(_ text: String, registered: Set<CardUID>) -> Result<[Row], ProblemList> {
        var problems: [Problem] = []
        var lines = records(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard !lines.isEmpty, let header = lines.first else {
            return .failure(
                ProblemList([
                    Problem(line: 1, message: "the file is empty; the first line must name the columns card_uid,name")
                ]))
        }
        lines.removeFirst()
        let columns = header.fields.map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let cardColumn = columns.firstIndex(of: "card_uid"), let nameColumn = columns.firstIndex(of: "name")
        else {
            return .failure(
                ProblemList([
                    Problem(
                        line: header.line,
                        message:
                            "the header must name the columns card_uid and name, got \(columns.joined(separator: ","))")
                ]))
        }
        var rows: [Row] = []
        var seen: [CardUID: Int] = [:]
        for record in lines
        where !(record.fields.count == 1 && record.fields[0].trimmingCharacters(in: .whitespaces).isEmpty) {
            if let error = record.error {
                problems.append(Problem(line: record.line, message: error))
                continue
            }
            guard record.fields.count == columns.count else {
                problems.append(
                    Problem(
                        line: record.line, message: "\(record.fields.count) fields, the header has \(columns.count)"))
                continue
            }
            let cardText = record.fields[cardColumn].trimmingCharacters(in: .whitespaces)
            let name = record.fields[nameColumn].trimmingCharacters(in: .whitespaces)
            guard let card = CardUID(cardText) else {
                problems.append(
                    Problem(line: record.line, message: "\"\(cardText)\" is not a card UID (2 to 32 hex digits)"))
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

    public struct ProblemList: Error, Equatable {
        public let problems: [Problem]
        init(_ problems: [Problem]) { self.problems = problems }
    }

    /// The longest record read, in Unicode scalars: a households line is a
    /// card and a name; anything longer is refused, never held whole.
    public static let maximumRecordScalars = 4_096
    /// The largest households file read (a village's is a few hundred KiB).
    public static let maximumFileBytes = 8 * 1024 * 1024

    public static func records(_ text: String) -> [CSVRecords.Record] {
        CSVRecords.read(text, maximumRecordScalars: maximumRecordScalars)
    }
}
