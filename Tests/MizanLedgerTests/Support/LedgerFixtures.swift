import Foundation
@testable import MizanCore
@testable import MizanLedger

/// A fresh directory under the system's temporary directory, removed when
/// the test's value goes away.
final class TemporaryDirectory: Sendable {
    let path: String

    init() {
        let base = FileManager.default.temporaryDirectory.path
        path = "\(base)/mizan-test-\(UUID().uuidString.prefix(12))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }
}

enum LedgerFixtures {
    static let kioskID = "bz-test"
    static let cardA = CardUID("0A1B2C3D4E")!
    static let cardB = CardUID("1122334455")!

    /// 2026-11-23 10:00 in Hebron (UTC+2 in winter).
    static let morning = WallClockTime(millisecondsSinceEpoch: 1_795_420_800_000)

    static func clock(_ wall: WallClockTime = morning, synchronized: Bool = true) -> LedgerClockReading {
        LedgerClockReading(wall: wall, synchronized: synchronized)
    }

    static func clock(plusSeconds seconds: Int64, from wall: WallClockTime = morning) -> LedgerClockReading {
        clock(WallClockTime(millisecondsSinceEpoch: wall.millisecondsSinceEpoch + seconds * 1000))
    }

    static let prices = PriceTable(
        version: 1,
        effectiveFrom: WallClockTime(secondsSinceEpoch: 1_700_000_000),
        ratesPerKilogram: ["plastic": 300, "metal": 800, "paper": 150, "glass": 100, "organic": 50]
    )

    /// A ledger on a real file with two households and a price table.
    static func ledger(
        in directory: TemporaryDirectory,
        path: String? = nil,
        setUpAt: WallClockTime = WallClockTime(millisecondsSinceEpoch: morning.millisecondsSinceEpoch - 3_600_000)
    ) throws -> (Ledger, HouseholdID, HouseholdID) {
        let ledger = try Ledger.open(path: path ?? directory.file("ledger.sqlite"), kioskID: kioskID)
        let a = try ledger.registerHousehold(card: cardA, name: "Umm Khalil", actor: "tech", at: clock(setUpAt))
        let b = try ledger.registerHousehold(card: cardB, name: "Abu Sami", actor: "tech", at: clock(setUpAt))
        try ledger.publishPrices(prices, actor: "municipality", at: clock(setUpAt))
        return (ledger, a.id, b.id)
    }

    /// Parses "2026-03-27T21:59:59Z".
    static func utc(_ text: String) -> WallClockTime {
        let formatter = ISO8601DateFormatter()
        guard let date = formatter.date(from: text) else { preconditionFailure("bad test time \(text)") }
        return WallClockTime(millisecondsSinceEpoch: Int64((date.timeIntervalSince1970 * 1000).rounded()))
    }

    static func session(_ sequence: Int64, household: HouseholdID, card: CardUID = cardA) -> SessionOpening {
        SessionOpening(
            id: SessionID(kioskID: kioskID, sequence: sequence), household: household, card: card, at: .origin)
    }

    /// A decided deposit as the kiosk state machine would produce it.
    static func deposit(
        _ sequence: Int64,
        grams: Int64 = 1_000,
        material: MaterialID = "plastic",
        household: HouseholdID? = nil,
        session: Int64? = nil,
        rate: Int64 = 300,
        carryIn: Int64 = 0,
        reason: DepositReason? = nil
    ) -> DepositRecord {
        let credited = household != nil && (reason == nil || reason == .credited)
        let value = grams * rate + carryIn
        let finalReason = reason ?? (household == nil ? .anonymous : .credited)
        return DepositRecord(
            id: DepositID(kioskID: kioskID, sequence: sequence),
            session: session.map { SessionID(kioskID: kioskID, sequence: $0) },
            household: household,
            bin: BinID(rawValue: material.rawValue),
            material: material,
            binsOpened: [BinID(rawValue: material.rawValue)],
            baseline: Grams(0),
            final: Grams(grams),
            net: Grams(grams),
            creditedGrams: credited ? Grams(grams) : .zero,
            priceVersion: credited ? 1 : nil,
            ratePerKilogram: credited ? rate : nil,
            credit: credited ? value / 1000 : 0,
            currencyCode: "XBZ",
            carryIn: CreditCarry(thousandths: carryIn)!,
            carryOut: CreditCarry(thousandths: credited ? value % 1000 : carryIn)!,
            reason: finalReason,
            lidOpenedAt: .origin,
            lidClosedAt: .seconds(1),
            decidedAt: .seconds(2)
        )
    }
}
