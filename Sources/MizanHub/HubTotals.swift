import Foundation
public import MizanCore
public import MizanLedger
import MizanReplication
import PostgresNIO

/// A local day across the village: each kiosk's day in the kiosk's own
/// schema (`mizan.daily-totals.v1`, its `kiosk_id` the kiosk dimension),
/// counted from what the hub holds — once a kiosk has pushed past the
/// day's end, equal to the kiosk's own `mizanctl totals`, chain head
/// included — and the village's sums per material. Schema
/// "mizan.fleet-totals.v1": stable; fields are only ever added.
public struct FleetTotals: Sendable, Codable, Equatable {
    public static let schema = "mizan.fleet-totals.v1"

    public var schema = FleetTotals.schema
    public let day: String
    public let kiosks: [DailyTotals]
    /// Per material over every kiosk (materials in the first kiosk's order).
    public let village: [MaterialTotals]
    public let villageTotal: MaterialTotals
    /// Distinct cards credited that day at any kiosk.
    public let villageHouseholdsServed: Int

    enum CodingKeys: String, CodingKey {
        case schema, day, kiosks, village, villageTotal = "village_total"
        case villageHouseholdsServed = "village_households_served"
    }
}

extension HubStore {
    /// Read from the day rollups kept at ingest (`day_totals`,
    /// `day_households`), reversals and each kiosk's last link of the day.
    public func fleetTotals(day: LocalDay) async throws -> FleetTotals {
        let kiosks = try await profiles()
        var tallies: [String: MaterialTally] = [:]
        var ends: [EndOfDay] = []
        for kiosk in kiosks {
            let materials = (kiosk.profile?.materials ?? []).map {
                Material(id: MaterialID(rawValue: $0.id), nameArabic: $0.nameArabic, nameEnglish: $0.nameEnglish)
            }
            tallies[kiosk.kiosk] = MaterialTally(materials: materials)
            if let calendar = LocalCalendar(identifier: kiosk.timeZone) {
                ends.append(EndOfDay(kiosk: kiosk.kiosk, endMs: calendar.interval(of: day).end))
            }
        }
        let date = day.description
        for try await (kiosk, material, reason, deposits, grams, credit) in try await client.query(
            """
            SELECT kiosk, material, reason, deposits, grams, credit FROM day_totals WHERE local_day = \(date)::date
            """, logger: logger
        ).decode((String, String, String, Int64, Int64, Int64).self) {
            tallies[kiosk, default: MaterialTally(materials: [])].add(
                material: material, reason: reason, deposits: Int(deposits), grams: grams, credit: credit)
        }
        var households: [String: Int] = [:]
        var villageHouseholds = 0
        for try await (kiosk, byHousehold, byCard) in try await client.query(
            """
            SELECT kiosk, count(*), count(DISTINCT card_uid) FROM day_households
            WHERE local_day = \(date)::date GROUP BY GROUPING SETS ((kiosk), ())
            """, logger: logger
        ).decode((String?, Int64, Int64).self) {
            if let kiosk { households[kiosk] = Int(byHousehold) } else { villageHouseholds = Int(byCard) }
        }
        var reversals: [String: (count: Int, amount: Int64)] = [:]
        for try await (kiosk, count, amount) in try await client.query(
            """
            SELECT kiosk, count(*), coalesce(sum(amount), 0)::bigint FROM entries
            WHERE local_day = \(date)::date AND kind = 'reversal' GROUP BY kiosk
            """, logger: logger
        ).decode((String, Int64, Int64).self) {
            reversals[kiosk] = (Int(count), amount)
        }
        var heads: [String: MizanLedger.ChainHead] = [:]
        let endsJSON = String(decoding: try JSONEncoder().encode(ends), as: UTF8.self)
        for try await (kiosk, seq, hash) in try await client.query(
            """
            SELECT r.kiosk, l.seq, l.hash FROM jsonb_to_recordset(\(endsJSON)::jsonb) AS r(kiosk text, end_ms bigint)
            CROSS JOIN LATERAL (SELECT seq, hash FROM links WHERE kiosk = r.kiosk AND recorded_at_ms < r.end_ms
              ORDER BY recorded_at_ms DESC, seq DESC LIMIT 1) l
            """, logger: logger
        ).decode((String, Int64, String).self) {
            heads[kiosk] = MizanLedger.ChainHead(seq: seq, hash: hash)
        }

        let village = Currency.beniZeidCredit
        var perKiosk: [DailyTotals] = []
        var villageTally: [MaterialTotals] = []
        for kiosk in kiosks {
            guard let calendar = LocalCalendar(identifier: kiosk.timeZone), let tally = tallies[kiosk.kiosk] else {
                continue
            }
            let (start, end) = calendar.interval(of: day)
            let total = tally.total
            let reversed = reversals[kiosk.kiosk] ?? (0, 0)
            perKiosk.append(
                DailyTotals(
                    kioskID: kiosk.kiosk, day: date, timeZone: kiosk.timeZone,
                    fromUTC: WallClockTime(millisecondsSinceEpoch: start).iso8601,
                    toUTC: WallClockTime(millisecondsSinceEpoch: end).iso8601, hours: Int((end - start) / 3_600_000),
                    currency: kiosk.profile?.currency ?? village.code,
                    currencyMinorUnitExponent: kiosk.profile?.currencyMinorUnitExponent ?? village.minorUnitExponent,
                    materials: tally.materials, total: total, householdsServed: households[kiosk.kiosk] ?? 0,
                    reversals: reversed.count, creditReversed: reversed.amount,
                    netCredit: total.creditIssued - reversed.amount, chainHead: heads[kiosk.kiosk]))
            for material in tally.materials {
                if let index = villageTally.firstIndex(where: { $0.material == material.material }) {
                    villageTally[index].add(material)
                } else {
                    villageTally.append(material)
                }
            }
        }
        var villageTotal = MaterialTotals(material: "total", nameArabic: "المجموع", nameEnglish: "Total")
        for material in villageTally { villageTotal.add(material) }
        return FleetTotals(
            day: date, kiosks: perKiosk, village: villageTally, villageTotal: villageTotal,
            villageHouseholdsServed: villageHouseholds)
    }

    private struct EndOfDay: Encodable {
        let kiosk: String
        let endMs: Int64

        enum CodingKeys: String, CodingKey {
            case kiosk, endMs = "end_ms"
        }
    }
}
