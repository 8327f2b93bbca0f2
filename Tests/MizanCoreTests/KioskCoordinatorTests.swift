import Testing
import MizanKiosk
@testable import MizanCore

/// What the coordinator does by itself around the state machine, as the
/// daemon and the replay run it: the local day by the wall clock, prices by
/// their time, the ledger's health, service mode.
@Suite("The kiosk coordinator")
struct KioskCoordinatorTests {
    /// 23:59:30 in Hebron on Monday 23 November 2026 (UTC+2).
    static let halfAMinuteToMidnight: Int64 = 1_795_471_170_000

    @Test func theCapStartsAgainWhenTheWallClockCrossesLocalMidnight() {
        var kiosk = KioskHarness(
            configuration: Fixtures.kiosk { $0.caps = DailyCaps(creditMinorUnits: 1_500) },
            wallStart: Self.halfAMinuteToMidnight
        )
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(5_000, into: "plastic")  // 1500: the day's cap
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.ledger.map(\.reason) == [.credited, .capped])
        kiosk.waitSeconds(30)  // past midnight, nothing fed but time
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.lastDeposit?.reason == .credited)
        #expect(kiosk.lastDeposit?.credit == 300)
        // A new session the same night sees only the new day's usage.
        kiosk.tap(Fixtures.cardA)
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.lastDeposit?.credit == 300)
    }

    @Test func aPriceVersionTakesEffectWithinAMinuteOfItsTime() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.book.prices = PriceTable(
            version: 2, effectiveFrom: WallClockTime(millisecondsSinceEpoch: KioskHarness.mondayMorning),
            ratesPerKilogram: ["plastic": 500]
        )
        kiosk.waitSeconds(61)
        #expect(kiosk.kiosk.priceVersion == 2)
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.lastDeposit?.priceVersion == 2)
        #expect(kiosk.lastDeposit?.credit == 500)
    }

    @Test func aLedgerThatTakesWritesAgainBringsTheKioskBackByItself() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.ledgerWorks = false
        kiosk.deposit(1_000, into: "paper")
        #expect(kiosk.kiosk.status.faults == [.ledger])
        kiosk.waitSeconds(5)
        #expect(!kiosk.kiosk.status.inService, "probed writable while the disk was still full")
        #expect(kiosk.kiosk.ledgerProblem?.contains("full") == true)
        kiosk.ledgerWorks = true
        kiosk.waitSeconds(2.5)
        #expect(kiosk.kiosk.status.inService)
        #expect(kiosk.kiosk.ledgerProblem == nil)
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "paper")
        #expect(kiosk.lastDeposit?.reason == .credited)
        #expect(kiosk.lastDeposit?.id.sequence == 1, "the refused deposit's id was given back")
    }

    @Test func endingServiceModeSetsZeroAgainAndComesBackInService() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.beginService()
        #expect(kiosk.kiosk.status.faults == [.serviceMode])
        kiosk.place(grams: 700)  // a bin put back a little heavier
        kiosk.waitSeconds(2)
        kiosk.endService()
        kiosk.waitSeconds(1.5)
        #expect(kiosk.kiosk.status.inService)
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.lastDeposit?.net == Grams(1_000), "the new zero was not taken")
    }
}
