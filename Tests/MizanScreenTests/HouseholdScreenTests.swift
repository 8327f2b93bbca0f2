import MizanControl
import MizanCore
import MizanLedger
import Synchronization
import Testing

@testable import MizanScreen
import MizanPOSIX

/// A ledger in memory: what the screen may read, and only once "committed".
final class MemoryScreenBook: ScreenBook {
    let state = Guarded<(balances: [Int64: Int64], sessions: [String: Int64], deposits: [String: DepositOutcome])>(
        ([:], [:], [:]))

    func householdName(_ household: HouseholdID) -> String? { household.rawValue == 12 ? "أم خليل" : nil }
    func committedBalance(of household: HouseholdID) -> Int64? { state.withLock { $0.balances[household.rawValue] } }
    func committedSessionCredit(_ session: String, of household: HouseholdID) -> Int64? {
        state.withLock { $0.sessions[session] }
    }
    func committedDeposit(_ id: String) -> DepositOutcome? { state.withLock { $0.deposits[id] } }
    /// What the hub answered for household 12, and how many times the screen asked.
    let village = Guarded<(balance: Int64?, asked: Int)>((nil, 0))
    func villageBalance(of household: HouseholdID) -> Int64? {
        village.withLock {
            $0.asked += 1
            return household.rawValue == 12 ? $0.balance : nil
        }
    }

    func commit(balance: Int64, session: Int64) {
        state.withLock {
            $0.balances[12] = balance
            $0.sessions["k-S1"] = session
        }
    }
}

/// The screen worked out from events and status, as the web process feeds it.
struct HouseholdScreenTests {
    let book = MemoryScreenBook()
    var screen: HouseholdScreen
    var now: Int64 = 1_000
    var wall: Int64 = 1_800_000_000_000
    var sequence: Int64 = 0

    init() {
        screen = HouseholdScreen(book: book, binMaterials: ["plastic": "plastic", "metal": "metal"])
    }

    func status(
        household: Int64? = nil, lids: [String] = [], inService: Bool = true, phase: String = "none"
    )
        -> KioskStatusReport
    {
        var status = KioskStatusReport(kiosk: "k", startedAtMs: 0, divisionG: 10)
        status.inService = inService
        status.household = household
        status.session = household == nil ? nil : "k-S1"
        status.depositPhase = phase
        status.lids = ["plastic", "metal"].map { bin in
            var lid = LidReport(bin: bin)
            lid.open = lids.contains(bin)
            return lid
        }
        return status
    }

    mutating func event(_ kind: String, _ fields: [String: String] = [:], feedback: FeedbackReport? = nil) {
        sequence += 1
        now += 10
        wall += 10
        screen.event(
            KioskEventReport(
                sequence: sequence, timeMs: wall, priority: "info", message: kind, kind: kind, feedback: feedback,
                fields: fields),
            nowMs: now, wallMs: wall)
    }

    mutating func feedback(_ outcome: FeedbackReport.Outcome, _ body: (inout FeedbackReport) -> Void = { _ in }) {
        var report = FeedbackReport(outcome)
        body(&report)
        event("feedback", feedback: report)
    }

    mutating func advance(_ milliseconds: Int64, status: KioskStatusReport?) {
        let end = now + milliseconds
        while now < end {
            now += 250
            screen.status(status, nowMs: now)
            screen.tick(nowMs: now)
        }
    }

    @Test mutating func aSessionPlayedThroughShowsEachStateAndTheBalanceOnlyAfterTheCommit() {
        advance(250, status: status())
        #expect(screen.view.state == .waiting)

        event("session_opened", ["MIZAN_HOUSEHOLD_ID": "12", "MIZAN_SESSION_ID": "k-S1"])
        feedback(.sessionOpened) { $0.household = 12 }
        #expect(screen.view.state == .welcome)
        #expect(screen.view.householdName == "أم خليل")

        event("lid", ["MIZAN_BIN": "plastic", "MIZAN_LID": "open"])
        #expect(screen.view.state == .binOpen)
        #expect(screen.view.material == "plastic")
        advance(500, status: status(household: 12, lids: ["plastic"]))
        #expect(screen.view.state == .binOpen)

        event("lid", ["MIZAN_BIN": "plastic", "MIZAN_LID": "closed"])
        #expect(screen.view.state == .weighing)
        #expect(screen.view.balanceMinor == nil)
        // The status still shows the lid open for a moment: no flicker back.
        advance(250, status: status(household: 12, lids: ["plastic"]))
        #expect(screen.view.state == .weighing)
        advance(500, status: status(household: 12, phase: "settling"))
        #expect(screen.view.state == .weighing)

        book.commit(balance: 1_375, session: 375)
        event(
            "deposit",
            [
                "MIZAN_DEPOSIT_ID": "k-D1", "MIZAN_MATERIAL": "plastic", "MIZAN_BIN": "plastic", "MIZAN_NET_G": "1250",
                "MIZAN_DECIDED_MONOTONIC_NS": "42",
            ])
        feedback(.credited) {
            $0.depositId = "k-D1"
            $0.creditMinor = 375
            $0.grams = 1250
        }
        #expect(screen.view.state == .credited)
        #expect(screen.view.grams == 1250)
        #expect(screen.view.creditMinor == 375)
        #expect(screen.view.balanceMinor == 1_375)
        #expect(screen.view.sessionCreditMinor == 375)
        #expect(screen.view.decidedMonotonicNs == 42)
        // A session's result stays until the household does something else.
        advance(20_000, status: status(household: 12))
        #expect(screen.view.state == .credited)

        event("lid", ["MIZAN_BIN": "metal", "MIZAN_LID": "open"])
        event("lid", ["MIZAN_BIN": "metal", "MIZAN_LID": "closed"])
        event("deposit", ["MIZAN_DEPOSIT_ID": "k-D2", "MIZAN_MATERIAL": "metal", "MIZAN_NET_G": "40"])
        feedback(.rejected) {
            $0.depositId = "k-D2"
            $0.reason = "below_minimum"
        }
        #expect(screen.view.state == .rejected)
        #expect(screen.view.reason == "below_minimum")
        #expect(screen.view.grams == 40)
        #expect(screen.view.material == "metal")
        #expect(screen.view.balanceMinor == nil)

        // The hub answered while the household deposited: the goodbye shows the village's balance too.
        #expect(book.village.withLock { $0.asked } >= 1)
        book.village.withLock { $0.balance = 4_375 }
        feedback(.sessionClosed) { $0.household = 12 }
        #expect(screen.view.state == .goodbye)
        #expect(screen.view.sessionCreditMinor == 375)
        #expect(screen.view.balanceMinor == 1_375)
        #expect(screen.view.villageBalanceMinor == 4_375)
        advance(3_000, status: status(household: 12))
        #expect(screen.view.state == .goodbye)
        advance(4_000, status: status())
        #expect(screen.view.state == .waiting)
    }

    @Test mutating func aDaemonThatStopsAnsweringIsOutOfServiceAndItsStatusRebuildsTheScreen() {
        advance(250, status: status(household: 12, lids: ["metal"]))
        #expect(screen.view.state == .binOpen)
        #expect(screen.view.householdName == "أم خليل")
        advance(250, status: nil)
        #expect(screen.view.state == .outOfService)
        advance(250, status: status(household: 12))
        #expect(screen.view.state == .welcome)
        feedback(.outOfService)
        #expect(screen.view.state == .outOfService)
        // The status has not caught up yet: the event stands.
        advance(250, status: status(household: 12))
        #expect(screen.view.state == .outOfService)
        advance(1_000, status: status(household: 12, inService: false))
        #expect(screen.view.state == .outOfService)
        feedback(.backInService)
        #expect(screen.view.state == .welcome)
    }

    @Test mutating func aMissedEventIsCorrectedByTheStatusAfterAMoment() {
        advance(250, status: status())
        event("session_opened", ["MIZAN_HOUSEHOLD_ID": "12", "MIZAN_SESSION_ID": "k-S1"])
        feedback(.sessionOpened) { $0.household = 12 }
        // The session closed and its goodbye was lost: the status says nobody.
        advance(1_000, status: status())
        #expect(screen.view.state == .welcome)
        advance(1_000, status: status())
        #expect(screen.view.state == .waiting)
    }

    @Test mutating func aRefusedCardAndADonationPassAfterAWhile() {
        advance(250, status: status())
        feedback(.tapRefused) {
            $0.reason = "unknown_card"
            $0.card = "0A1B2C3D4E"
        }
        #expect(screen.view.state == .refused)
        #expect(screen.view.reason == "unknown_card")
        advance(7_000, status: status())
        #expect(screen.view.state == .refused)
        advance(1_500, status: status())
        #expect(screen.view.state == .waiting)

        event("lid", ["MIZAN_BIN": "plastic", "MIZAN_LID": "open"])
        event("lid", ["MIZAN_BIN": "plastic", "MIZAN_LID": "closed"])
        feedback(.donation) {
            $0.depositId = "k-D3"
            $0.grams = 900
        }
        #expect(screen.view.state == .donation)
        #expect(screen.view.balanceMinor == nil)
        advance(8_500, status: status())
        #expect(screen.view.state == .waiting)
    }

    @Test mutating func eventsReplayedFromBeforeTheConnectionAreNotNews() {
        advance(250, status: status())
        sequence += 1
        var report = FeedbackReport(.credited)
        report.depositId = "k-D9"
        screen.event(
            KioskEventReport(
                sequence: sequence, timeMs: wall - 60_000, priority: "info", message: "old", kind: "feedback",
                feedback: report),
            nowMs: now, wallMs: wall)
        #expect(screen.view.state == .waiting)
    }
}
