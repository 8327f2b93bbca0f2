import Foundation
import MizanCore
import MizanLedger

/// A ledger file with a known day of history: 2026-03-28 in Hebron, the day
/// summer time starts (23 hours).
final class SampleLedger: Sendable {
    let directory: String
    let path: String
    let ledger: Ledger

    static let day = "2026-03-28"
    static let cardA = CardUID("0A1B2C3D4E")!
    static let cardB = CardUID("1122334455")!

    /// - Parameter forging: a deposit whose mass is changed by 10 g, as an
    ///   attacker rebuilding a whole consistent history would.
    init(forging: Int64? = nil) throws {
        directory = FileManager.default.temporaryDirectory.path + "/mizanctl-test-\(UUID().uuidString.prefix(12))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        path = directory + "/ledger.sqlite"
        ledger = try Ledger.open(path: path, kioskID: "bz-01")
        let setUp = Self.clock("2026-03-01T08:00:00Z")
        let a = try ledger.registerHousehold(card: Self.cardA, name: "Umm Khalil", actor: "tech", at: setUp).id
        let b = try ledger.registerHousehold(card: Self.cardB, name: "Abu Sami", actor: "tech", at: setUp).id
        try ledger.publishPrices(
            PriceTable(
                version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0),
                ratesPerKilogram: ["plastic": 300, "metal": 800, "paper": 150, "glass": 100, "organic": 50]),
            actor: "municipality", at: setUp
        )
        let deposits: [(Int64, HouseholdID?, MaterialID, Int64, Int64, DepositReason, String)] = [
            (1, a, "plastic", 1_250, 300, .credited, "2026-03-27T22:10:00Z"),
            (2, a, "metal", 2_000, 800, .credited, "2026-03-28T06:00:00Z"),
            (3, b, "paper", 3_330, 150, .credited, "2026-03-28T09:30:00Z"),
            (4, nil, "organic", 4_100, 0, .anonymous, "2026-03-28T12:00:00Z"),
            (5, b, "glass", 120, 0, .belowMinimum, "2026-03-28T15:00:00Z"),
            (6, a, "plastic", 900, 300, .credited, "2026-03-28T21:30:00Z"),  // already 29 March locally
        ]
        for (sequence, household, material, grams, rate, reason, time) in deposits {
            if sequence == 6 {
                try ledger.reverseDeposit(
                    "bz-01-D3", reason: "paper was wet", actor: "tech", at: Self.clock("2026-03-28T16:00:00Z"))
            }
            let grams = sequence == forging ? grams + 10 : grams
            let value = grams * rate
            let credited = reason == .credited
            try ledger.commitDeposit(
                DepositRecord(
                    id: DepositID(kioskID: "bz-01", sequence: sequence), session: nil, household: household,
                    bin: BinID(rawValue: material.rawValue), material: material,
                    binsOpened: [BinID(rawValue: material.rawValue)],
                    baseline: Grams(0), final: Grams(grams), net: Grams(grams),
                    creditedGrams: credited ? Grams(grams) : .zero,
                    priceVersion: credited ? 1 : nil, ratePerKilogram: credited ? rate : nil,
                    credit: credited ? value / 1000 : 0,
                    currencyCode: "XBZ", carryIn: .zero,
                    carryOut: CreditCarry(thousandths: credited ? value % 1000 : 0)!,
                    reason: reason, lidOpenedAt: .origin, lidClosedAt: nil, decidedAt: .origin
                ), at: Self.clock(time))
        }
    }

    deinit {
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func clock(_ iso: String) -> LedgerClockReading {
        let date = ISO8601DateFormatter().date(from: iso) ?? Date(timeIntervalSince1970: 0)
        return LedgerClockReading(
            wall: WallClockTime(millisecondsSinceEpoch: Int64(date.timeIntervalSince1970 * 1000)), synchronized: true)
    }
}
