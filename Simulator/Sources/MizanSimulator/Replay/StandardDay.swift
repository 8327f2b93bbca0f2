public import MizanCore
public import MizanLedger

/// A short day at the kiosk that touches most rules: two households, three
/// materials, a slammed lid, a deposit below the minimum, an unknown and a
/// blocked card, an anonymous donation, two lids at once and an idle timeout.
public enum StandardDay {
    public static let householdA = CardUID("0A1B2C3D4E")!
    public static let householdB = CardUID("1122334455")!
    public static let blocked = CardUID("B10C4ED000")!
    public static let unknown = CardUID("DEADBEEF00")!
    /// 2026-11-23 08:00 in Hebron.
    public static let wallStart = WallClockTime(millisecondsSinceEpoch: 1_795_413_600_000)

    public static let prices = PriceTable(
        version: 1,
        effectiveFrom: WallClockTime(secondsSinceEpoch: 1_767_225_600),
        ratesPerKilogram: ["plastic": 300, "metal": 800, "paper": 150, "glass": 100, "organic": 50]
    )

    public static func trace(seed: UInt64 = 1) -> [TraceEvent] {
        var day = TraceRecorder(seed: seed)
        day.seconds(2)  // the empty platform settles; zero is set
        day.tap(householdA)
        day.seconds(1)
        day.deposit(1_250, into: "plastic")
        day.deposit(2_000, into: "metal", slam: true)
        day.deposit(150, into: "paper")
        day.tap(householdA)
        day.seconds(2)
        day.tap(unknown)
        day.seconds(2)
        day.tap(blocked)
        day.seconds(2)
        day.deposit(3_000, into: "organic")
        day.tap(householdB)
        day.seconds(1)
        day.deposit(800, into: "glass")
        day.open("plastic")
        day.open("paper")
        day.seconds(0.5)
        day.drop(grams: 500)
        day.seconds(0.8)
        day.close("plastic")
        day.close("paper")
        day.seconds(3)
        day.seconds(65)  // household B walks away: the session times out
        return day.trace
    }

    /// Registers the households and the prices the day needs.
    public static func prepare(_ ledger: Ledger) throws(LedgerError) {
        let setUp = LedgerClockReading(
            wall: WallClockTime(millisecondsSinceEpoch: wallStart.millisecondsSinceEpoch - 86_400_000),
            synchronized: true)
        try ledger.registerHousehold(card: householdA, name: "Umm Khalil", actor: "simulator", at: setUp)
        try ledger.registerHousehold(card: householdB, name: "Abu Sami", actor: "simulator", at: setUp)
        try ledger.registerHousehold(card: blocked, name: "Lost card", actor: "simulator", at: setUp)
        try ledger.setHouseholdStatus(card: blocked, to: .blocked, actor: "simulator", at: setUp)
        try ledger.publishPrices(prices, actor: "simulator", at: setUp)
    }
}
