import Foundation
import Testing
@testable import MizanCore
@testable import MizanLedger

@Suite("Ledger: daily totals")
struct TotalsTests {
    /// Asia/Hebron in 2026: summer time starts on 28 March (a 23-hour day)
    /// and ends on 24 October (a 25-hour day).
    @Test(arguments: [
        ("2026-03-27T21:59:59Z", "2026-03-27"),
        ("2026-03-27T22:00:00Z", "2026-03-28"),
        ("2026-03-28T20:59:59Z", "2026-03-28"),
        ("2026-03-28T21:00:00Z", "2026-03-29"),
        ("2026-10-23T20:59:59Z", "2026-10-23"),
        ("2026-10-23T21:00:00Z", "2026-10-24"),
        ("2026-10-24T21:30:00Z", "2026-10-24"),
        ("2026-10-24T21:59:59Z", "2026-10-24"),
        ("2026-10-24T22:00:00Z", "2026-10-25"),
    ])
    func aDepositFallsOnItsLocalDayAcrossDaylightSavingTime(utc: String, localDay: String) throws {
        let directory = TemporaryDirectory()
        let (ledger, a, _) = try LedgerFixtures.ledger(
            in: directory, setUpAt: LedgerFixtures.utc("2026-01-01T00:00:00Z"))
        try ledger.commitDeposit(
            LedgerFixtures.deposit(1, grams: 1_000, household: a), at: LedgerFixtures.clock(LedgerFixtures.utc(utc)))
        let day = try #require(LocalDay(localDay))
        let totals = try ledger.totals(
            from: LocalDay(year: 2026, month: 3, day: 27), through: LocalDay(year: 2026, month: 10, day: 25))
        for daily in totals {
            #expect(
                daily.total.creditedGrams == (daily.day == day.description ? 1_000 : 0),
                "\(utc) counted on \(daily.day)")
        }
    }

    @Test func daylightSavingDaysAre23And25HoursLong() throws {
        let directory = TemporaryDirectory()
        let (ledger, _, _) = try LedgerFixtures.ledger(in: directory)
        #expect(try ledger.totals(for: LocalDay(year: 2026, month: 3, day: 28)).hours == 23)
        #expect(try ledger.totals(for: LocalDay(year: 2026, month: 10, day: 24)).hours == 25)
        #expect(try ledger.totals(for: LocalDay(year: 2026, month: 10, day: 25)).hours == 24)
        #expect(try ledger.totals(for: LocalDay(year: 2026, month: 3, day: 28)).fromUTC == "2026-03-27T22:00:00.000Z")
    }

    @Test func aDaysFiguresAddUpPerMaterial() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, b) = try LedgerFixtures.ledger(in: directory)
        let at = LedgerFixtures.clock()
        try ledger.commitDeposit(LedgerFixtures.deposit(1, grams: 1_250, household: a), at: at)
        try ledger.commitDeposit(
            LedgerFixtures.deposit(2, grams: 2_000, material: "metal", household: a, rate: 800), at: at)
        try ledger.commitDeposit(LedgerFixtures.deposit(3, grams: 500, household: b), at: at)
        try ledger.commitDeposit(LedgerFixtures.deposit(4, grams: 3_000, material: "organic"), at: at)
        try ledger.commitDeposit(LedgerFixtures.deposit(5, grams: 150, household: b, reason: .belowMinimum), at: at)
        try ledger.commitDeposit(LedgerFixtures.deposit(6, grams: 700, household: b, reason: .ambiguousBin), at: at)
        try ledger.reverseDeposit("bz-test-D3", reason: "wrong bin", actor: "tech", at: at)
        // The next day does not count.
        try ledger.commitDeposit(
            LedgerFixtures.deposit(7, grams: 9_000, household: a), at: LedgerFixtures.clock(plusSeconds: 86_400))

        let totals = try ledger.totals(for: LocalDay(year: 2026, month: 11, day: 23))
        let plastic = try #require(totals.materials.first { $0.material == "plastic" })
        #expect(plastic.deposits == 4)
        #expect(plastic.creditedDeposits == 2)
        #expect(plastic.creditedGrams == 1_750)
        #expect(plastic.creditIssued == 375 + 150)
        #expect(plastic.rejected["below_minimum"] == 1)
        #expect(plastic.rejected["ambiguous_bin"] == 1)
        #expect(plastic.rejectedGrams == 850)
        let organic = try #require(totals.materials.first { $0.material == "organic" })
        #expect(organic.anonymousGrams == 3_000)
        #expect(organic.creditIssued == 0)
        #expect(totals.total.creditIssued == 375 + 1_600 + 150)
        #expect(totals.total.creditedGrams == 3_750)
        #expect(totals.householdsServed == 2)
        #expect(totals.reversals == 1)
        #expect(totals.creditReversed == 150)
        #expect(totals.netCredit == 375 + 1_600)
        #expect(totals.materials.map(\.material) == ["plastic", "metal", "paper", "glass", "organic"])
        #expect(totals.materials.first?.nameArabic == "بلاستيك")
        // The chain head closes the day: the next day's deposit is not in it.
        let journal = try #require(try ledger.export().tables["journal"])
        let dayEnd = ledger.calendar.interval(of: LocalDay(year: 2026, month: 11, day: 23)).end
        let lastOfDay = try #require(journal.last { ($0["recorded_at_ms"]?.integer ?? .max) < dayEnd })
        #expect(totals.chainHead?.seq == lastOfDay["seq"]?.integer)
        #expect(totals.chainHead?.hash == lastOfDay["hash"]?.text)
        #expect(journal.count > Int(totals.chainHead?.seq ?? 0))
    }
}
