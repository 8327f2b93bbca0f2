import Foundation
import MizanCore

/// Daily totals for one or more days, as `mizanctl totals --format json`
/// prints them and as a cooperative saves them. Schema
/// "mizan.totals-report.v1": stable; fields are only ever added.
public struct TotalsReport: Sendable, Codable, Equatable {
    public static let schema = "mizan.totals-report.v1"

    public var schema = TotalsReport.schema
    public let kioskID: String
    public let days: [DailyTotals]

    public init(kioskID: String, days: [DailyTotals]) {
        self.kioskID = kioskID
        self.days = days
    }

    enum CodingKeys: String, CodingKey {
        case schema, kioskID = "kiosk_id", days
    }

    public func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(self)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// The chain heads a saved report carries, from its JSON or CSV form.
    public static func chainHeads(inReport text: String) throws(ReportError) -> [ChainHead] {
        let trimmed = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if trimmed.hasPrefix("{") {
            guard let report = try? JSONDecoder().decode(TotalsReport.self, from: Data(trimmed.utf8)) else {
                throw ReportError("the report is JSON but not a \(schema) report")
            }
            return report.days.compactMap { day in
                day.chainHead.map { ChainHead(seq: $0.seq, hash: $0.hash, day: day.day) }
            }
        }
        let lines = CSVRecords.read(String(trimmed), maximumRecordCharacters: 65_536).map(\.fields)
        guard let header = lines.first,
            let seqColumn = header.firstIndex(of: "chain_head_seq"),
            let hashColumn = header.firstIndex(of: "chain_head_hash")
        else {
            throw ReportError("the report is neither a JSON totals report nor a totals CSV with chain_head columns")
        }
        return lines.dropFirst().compactMap { fields in
            guard fields.count > max(seqColumn, hashColumn), let seq = Int64(fields[seqColumn]),
                !fields[hashColumn].isEmpty
            else {
                return nil
            }
            let day = header.firstIndex(of: "day").flatMap { $0 < fields.count ? fields[$0] : nil }
            return ChainHead(seq: seq, hash: fields[hashColumn], day: day)
        }
    }
}

public struct ReportError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
