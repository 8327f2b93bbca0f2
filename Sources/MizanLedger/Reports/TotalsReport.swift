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

    /// The chain heads a saved report carries, from its JSON or CSV form:
    /// a kiosk's own report, or the hub's fleet totals (several kiosks'
    /// days, each with its `kiosk_id`), of which only `kiosk`'s rows count.
    public static func chainHeads(inReport text: String, kiosk: String) throws(ReportError) -> [ChainHead] {
        let trimmed = text.drop { $0 == "\u{FEFF}" || $0.isWhitespace }
        if trimmed.hasPrefix("{") {
            let data = Data(trimmed.utf8)
            let days: [DailyTotals]
            if let report = try? JSONDecoder().decode(TotalsReport.self, from: data) {
                days = report.days
            } else if let fleet = try? JSONDecoder().decode(FleetDays.self, from: data) {
                days = fleet.kiosks.filter { $0.kioskID == kiosk }
            } else {
                throw ReportError("the report is JSON but neither a \(schema) report nor the hub's fleet totals")
            }
            return days.compactMap { day in
                day.chainHead.map { ChainHead(seq: $0.seq, hash: $0.hash, day: day.day) }
            }
        }
        let lines = CSVRecords.read(String(trimmed), maximumRecordScalars: 65_536).map(\.fields)
        guard let header = lines.first,
            let seqColumn = header.firstIndex(of: "chain_head_seq"),
            let hashColumn = header.firstIndex(of: "chain_head_hash")
        else {
            throw ReportError("the report is neither a JSON totals report nor a totals CSV with chain_head columns")
        }
        let kioskColumn = header.firstIndex(of: "kiosk_id")
        return lines.dropFirst().compactMap { fields in
            guard fields.count > max(seqColumn, hashColumn), let seq = Int64(fields[seqColumn]),
                !fields[hashColumn].isEmpty
            else {
                return nil
            }
            if let kioskColumn, kioskColumn < fields.count, fields[kioskColumn] != kiosk { return nil }
            let day = header.firstIndex(of: "day").flatMap { $0 < fields.count ? fields[$0] : nil }
            return ChainHead(seq: seq, hash: fields[hashColumn], day: day)
        }
    }

    /// The part of the hub's `mizan.fleet-totals.v1` a kiosk checks itself against.
    private struct FleetDays: Decodable {
        let kiosks: [DailyTotals]
    }
}

public struct ReportError: Error, Sendable, CustomStringConvertible {
    public let description: String

    init(_ description: String) {
        self.description = description
    }
}
