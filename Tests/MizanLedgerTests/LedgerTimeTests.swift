import Foundation
import GRDB
import Testing
@testable import MizanCore
@testable import MizanLedger

@Suite("Ledger: time")
struct LedgerTimeTests {
    @Test func aClockJumpingBackwardsNeverMakesTheLedgerRunBackwards() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, _) = try LedgerFixtures.ledger(in: directory)
        try ledger.commitDeposit(LedgerFixtures.deposit(1, household: a), at: LedgerFixtures.clock(plusSeconds: 100))
        // The board rebooted without RTC: the clock is an hour behind.
        try ledger.commitDeposit(
            LedgerFixtures.deposit(2, household: a),
            at: LedgerFixtures.clock(plusSeconds: -3_500, from: LedgerFixtures.morning))
        try ledger.commitDeposit(
            LedgerFixtures.deposit(3, household: a),
            at: LedgerFixtures.clock(plusSeconds: -3_490, from: LedgerFixtures.morning))
        // NTP arrives.
        try ledger.commitDeposit(LedgerFixtures.deposit(4, household: a), at: LedgerFixtures.clock(plusSeconds: 200))
        let links = try ledger.pool.read { db in
            try Row.fetchAll(
                db,
                sql:
                    "SELECT recorded_at_ms, wall_clock_ms, clock_anomaly FROM journal WHERE kind = 'deposit' ORDER BY seq"
            )
        }
        let recorded = links.map { $0["recorded_at_ms"] as Int64 }
        #expect(recorded == recorded.sorted())
        #expect(links.map { $0["clock_anomaly"] as Int64 } == [0, 1, 1, 0])
        #expect(links[1]["wall_clock_ms"] as Int64 == LedgerFixtures.morning.millisecondsSinceEpoch - 3_500_000)
        // One anomaly record for the one jump, not one per deposit.
        let clockAudit = try ledger.auditLog(kind: .clock)
        #expect(clockAudit.count == 1)
        #expect(clockAudit.first?.summary.contains("behind the ledger") == true)
        #expect(try ledger.verify().ok)
    }

    @Test func entriesMadeWithAnUnsynchronisedClockAreFlagged() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, _) = try LedgerFixtures.ledger(in: directory)
        try ledger.commitDeposit(LedgerFixtures.deposit(1, household: a), at: LedgerFixtures.clock(synchronized: false))
        try ledger.commitDeposit(LedgerFixtures.deposit(2, household: a), at: LedgerFixtures.clock(plusSeconds: 5))
        let flags = try ledger.pool.read { db in
            try Int.fetchAll(db, sql: "SELECT clock_synchronized FROM journal WHERE kind = 'deposit' ORDER BY seq")
        }
        #expect(flags == [0, 1])
    }

    @Test func lookupReportsCarryAndTodaysUsage() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, b) = try LedgerFixtures.ledger(in: directory)
        // Today: 1000 g at 7 per kg → 7, carry 0; tomorrow: 250 g → 1.75 → 1, carry 750.
        try ledger.commitDeposit(
            LedgerFixtures.deposit(1, grams: 1_000, household: a, rate: 7), at: LedgerFixtures.clock())
        try ledger.commitDeposit(
            LedgerFixtures.deposit(2, grams: 250, household: a, rate: 7), at: LedgerFixtures.clock(plusSeconds: 86_400))
        guard
            case let .active(account) = try ledger.lookup(
                card: LedgerFixtures.cardA, at: LedgerFixtures.clock(plusSeconds: 86_460))
        else {
            Issue.record("card A not active")
            return
        }
        #expect(account.id == a)
        #expect(account.carry.thousandths == 750)
        #expect(account.usageToday == DailyUsage(creditMinorUnits: 1, grams: 250))
        try ledger.setHouseholdStatus(
            card: LedgerFixtures.cardB, to: .blocked, actor: "tech", at: LedgerFixtures.clock())
        #expect(try ledger.lookup(card: LedgerFixtures.cardB, at: LedgerFixtures.clock()) == .blocked(b))
        #expect(try ledger.lookup(card: CardUID("FFFFFFFFFF")!, at: LedgerFixtures.clock()) == .unknown)
        #expect(try ledger.auditLog(kind: .household).map(\.counter) == [1, 2, 3])
    }

    @Test func interruptedSessionsAreClosedAtStartUp() throws {
        let directory = TemporaryDirectory()
        let (ledger, a, b) = try LedgerFixtures.ledger(in: directory)
        try ledger.recordSessionOpened(LedgerFixtures.session(1, household: a), at: LedgerFixtures.clock())
        try ledger.commitDeposit(LedgerFixtures.deposit(1, household: a, session: 1), at: LedgerFixtures.clock())
        try ledger.recordSessionOpened(
            LedgerFixtures.session(2, household: b, card: LedgerFixtures.cardB), at: LedgerFixtures.clock())
        try ledger.recordSessionClosed(
            SessionClosing(
                id: SessionID(kioskID: LedgerFixtures.kioskID, sequence: 2), household: b, reason: .idleTimeout,
                at: .origin, deposits: 0, credit: 0, creditedGrams: .zero),
            at: LedgerFixtures.clock()
        )
        let closed = try ledger.closeInterruptedSessions(at: LedgerFixtures.clock(plusSeconds: 30))
        #expect(closed == ["bz-test-S1"])
        let row = try ledger.pool.read {
            try Row.fetchOne($0, sql: "SELECT * FROM session_closures WHERE session_id = 'bz-test-S1'")
        }
        #expect(row?["reason"] as String? == "interrupted")
        #expect(row?["credit"] as Int64? == 300)
        #expect(try ledger.closeInterruptedSessions(at: LedgerFixtures.clock(plusSeconds: 40)).isEmpty)
        #expect(try ledger.nextSequences() == (deposit: 2, session: 3))
    }

    @Test func priceVersionsAreNeverEdited() throws {
        let directory = TemporaryDirectory()
        let (ledger, _, _) = try LedgerFixtures.ledger(in: directory)
        #expect(throws: LedgerError.self) {
            try ledger.publishPrices(LedgerFixtures.prices, actor: "someone", at: LedgerFixtures.clock())
        }
        let v2 = PriceTable(version: 2, effectiveFrom: LedgerFixtures.morning, ratesPerKilogram: ["plastic": 350])
        try ledger.publishPrices(v2, actor: "municipality", at: LedgerFixtures.clock())
        let schedule = try ledger.priceSchedule()
        #expect(schedule.active(at: LedgerFixtures.morning)?.rate(for: "plastic") == 350)
        #expect(schedule.active(at: WallClockTime(secondsSinceEpoch: 1_750_000_000))?.rate(for: "plastic") == 300)
        #expect(try ledger.auditLog(kind: .price).map(\.counter) == [1, 2])
    }
}
