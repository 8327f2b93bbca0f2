import Testing
@testable import MizanCore

@Suite("Sessions and deposits")
struct KioskStateMachineTests {
    @Test func aHouseholdSessionIsCreditedAndClosedBySecondTap() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        #expect(kiosk.sessionsOpened.count == 1)
        kiosk.deposit(1_250, into: "plastic")
        kiosk.deposit(2_000, into: "metal")
        kiosk.tap(Fixtures.cardA)
        #expect(kiosk.ledger.map(\.reason) == [.credited, .credited])
        #expect(kiosk.ledger.map(\.net) == [Grams(1_250), Grams(2_000)])
        #expect(kiosk.ledger.map(\.credit) == [375, 1_600])
        #expect(kiosk.ledger.map(\.material) == ["plastic", "metal"])
        #expect(kiosk.ledger.allSatisfy { $0.priceVersion == 3 && $0.household == HouseholdID(1) })
        #expect(kiosk.sessionsClosed.map(\.reason) == [.cardTappedAgain])
        #expect(kiosk.sessionsClosed.first?.credit == 1_975)
        #expect(kiosk.sessionsClosed.first?.deposits == 2)
    }

    /// The kiosk loop sleeps until `nextTimeout`: a tick just before it
    /// must change nothing, and the session must close at it.
    @Test func theNextTimeoutIsWhenATickActs() throws {
        var kiosk = KioskHarness()
        kiosk.start()
        #expect(kiosk.kiosk.nextTimeout == nil)
        kiosk.tap(Fixtures.cardA)
        let idle = Fixtures.kiosk().source.sessionIdleTimeout
        #expect(kiosk.kiosk.nextTimeout == kiosk.now + idle)
        kiosk.open("plastic")
        // A deposit in progress: the lid stuck open is what could come next.
        #expect(kiosk.kiosk.nextTimeout == kiosk.now + Fixtures.kiosk().source.lidStuckTimeout)
        kiosk.place(grams: 800)
        kiosk.close("plastic")
        #expect(kiosk.kiosk.nextTimeout == kiosk.now + Fixtures.kiosk().source.settleTimeout)
        kiosk.waitSeconds(3)
        #expect(kiosk.ledger.count == 1)
        let due = try #require(kiosk.kiosk.nextTimeout)
        #expect(due > kiosk.now && due <= kiosk.now + idle)
        kiosk.wait(due - kiosk.now - .milliseconds(20))
        #expect(kiosk.sessionsClosed.isEmpty)
        kiosk.wait(.milliseconds(40))
        #expect(kiosk.sessionsClosed.map(\.reason) == [.idleTimeout])
        #expect(kiosk.kiosk.nextTimeout == nil)
    }

    @Test func greenFollowsTheCommitAndNeverPrecedesIt() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "paper")
        let decisions = kiosk.decisions
        let commitIndex = decisions.firstIndex { if case .commitDeposit = $0 { true } else { false } }
        let greenIndex = decisions.firstIndex { if case .feedback(.credited) = $0 { true } else { false } }
        #expect(commitIndex != nil && greenIndex != nil)
        #expect(commitIndex! < greenIndex!)

        // Without a commit acknowledgement there is no green at all.
        var unacknowledged = KioskStateMachine(configuration: Fixtures.kiosk(), prices: Fixtures.prices)
        var engine = WeighingEngine(configuration: Fixtures.kiosk().weighing, calibration: nil, startedAt: .origin)
        var decided: [KioskDecision] = []
        var time = Instant.origin
        func run(_ grams: Int64, _ seconds: Double) {
            let end = time + .nanoseconds(Int64(seconds * 1e9))
            while time < end {
                time = time + .microseconds(12_500)
                var events: [WeighingEvent] = []
                engine.ingest(Milligrams(grams * 1000), at: time) { events.append($0) }
                for event in events { decided += unacknowledged.handle(.weighing(event)) }
                decided += unacknowledged.handle(.tick(time))
            }
        }
        run(0, 1.5)
        decided += unacknowledged.handle(
            .cardTapped(
                CardTap(
                    card: Fixtures.cardA, lookup: .active(HouseholdAccount(id: HouseholdID(1), card: Fixtures.cardA)),
                    at: time)))
        decided += unacknowledged.handle(.lidOpened("paper", at: time))
        run(1_000, 0.5)
        decided += unacknowledged.handle(.lidClosed("paper", at: time))
        run(1_000, 1.5)
        #expect(decided.contains { if case .commitDeposit = $0 { true } else { false } })
        #expect(!decided.contains { if case .feedback(.credited) = $0 { true } else { false } })
        #expect(unacknowledged.status.depositsAwaitingCommit == 1)
    }

    @Test func aFailedCommitCreditsNothingAndTakesTheKioskOutOfService() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.ledgerWorks = false
        kiosk.deposit(1_000, into: "paper")
        #expect(kiosk.ledger.isEmpty)
        #expect(kiosk.feedback.contains { if case .commitFailed = $0 { true } else { false } })
        #expect(!kiosk.feedback.contains { if case .credited = $0 { true } else { false } })
        #expect(kiosk.kiosk.status.faults == [.ledger])
        #expect(kiosk.sessionsClosed.map(\.reason) == [.outOfService])
        kiosk.tap(Fixtures.cardA)
        #expect(kiosk.feedback.last == .tapRefused(Fixtures.cardA, .outOfService))
        kiosk.ledgerWorks = true
        kiosk.feed(.faultCleared(.ledger, at: kiosk.now))
        #expect(kiosk.kiosk.status.inService)
        // The refused deposit took no id and no credit: the next one is D1
        // and the session's figures hold only what the ledger holds.
        #expect(kiosk.sessionsClosed.first?.credit == 0)
        #expect(kiosk.sessionsClosed.first?.deposits == 0)
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "paper")
        #expect(kiosk.ledger.map(\.id.sequence) == [1])
        #expect(kiosk.ledger.first?.carryIn == .zero)
    }

    @Test(arguments: [
        (Fixtures.unknownCard, TapRefusal.unknownCard),
        (Fixtures.blockedCard, TapRefusal.blockedCard),
    ])
    func unknownAndBlockedCardsAreRefusedVisibly(card: CardUID, refusal: TapRefusal) {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(card)
        #expect(kiosk.sessionsOpened.isEmpty)
        #expect(kiosk.feedback == [.tapRefused(card, refusal)])
    }

    @Test func anotherCardCannotJoinAnOpenSession() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.tap(Fixtures.cardB)
        #expect(kiosk.feedback.last == .tapRefused(Fixtures.cardB, .anotherSessionOpen))
        #expect(kiosk.kiosk.status.household == HouseholdID(1))
    }

    @Test(arguments: [
        // grams dropped, expected reason
        (Int64(150), DepositReason.belowMinimum),
        (190, .belowMinimum),
        (200, .credited),
        (30_000, .credited),
        (31_000, .implausible),
    ])
    func depositLimits(grams: Int64, reason: DepositReason) {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(grams, into: "glass")
        #expect(kiosk.lastDeposit?.reason == reason)
        #expect(kiosk.lastDeposit?.net == Grams(grams))
        #expect((kiosk.lastDeposit?.credit ?? -1) == (reason == .credited ? grams * 100 / 1000 : 0))
    }

    @Test func somethingTakenOutIsNegative() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.place(grams: 3_000)
        kiosk.waitSeconds(1.5)
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(-1_000, into: "metal")
        #expect(kiosk.lastDeposit?.reason == .negative)
        #expect(kiosk.lastDeposit?.net == Grams(-1_000))
        #expect(kiosk.lastDeposit?.credit == 0)
        #expect(kiosk.feedback.last == .depositRejected(kiosk.lastDeposit!.id, .negative))
    }

    @Test func aScaleThatNeverSettlesIsUnstable() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.open("plastic")
        kiosk.place(grams: 1_500)
        kiosk.vibration = 40_000
        kiosk.waitSeconds(0.5)
        kiosk.close("plastic")
        kiosk.waitSeconds(9)
        #expect(kiosk.lastDeposit?.reason == .unstable)
        #expect(kiosk.lastDeposit?.credit == 0)
    }

    @Test func vibrationFromASlammedLidIsWaitedOut() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.open("plastic")
        kiosk.waitSeconds(0.3)
        kiosk.place(grams: 1_500)
        kiosk.waitSeconds(0.3)
        kiosk.close("plastic")
        kiosk.vibration = 60_000
        kiosk.waitSeconds(1.2)
        kiosk.vibration = 0
        kiosk.waitSeconds(1.5)
        #expect(kiosk.lastDeposit?.reason == .credited)
        #expect(kiosk.lastDeposit?.net == Grams(1_500))
    }

    @Test func twoLidsOpenAtOnceAreAmbiguous() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.open("plastic")
        kiosk.open("metal")
        kiosk.place(grams: 1_000)
        kiosk.waitSeconds(0.5)
        kiosk.close("plastic")
        kiosk.waitSeconds(0.2)
        kiosk.close("metal")
        kiosk.waitSeconds(1.5)
        #expect(kiosk.ledger.count == 1)
        #expect(kiosk.lastDeposit?.reason == .ambiguousBin)
        #expect(kiosk.lastDeposit?.binsOpened == ["plastic", "metal"])
        #expect(kiosk.lastDeposit?.credit == 0)
    }

    @Test func aDepositWithNoSessionIsAnAnonymousDonation() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.deposit(2_500, into: "organic")
        #expect(kiosk.lastDeposit?.reason == .anonymous)
        #expect(kiosk.lastDeposit?.net == Grams(2_500))
        #expect(kiosk.lastDeposit?.household == nil)
        #expect(kiosk.lastDeposit?.credit == 0)
        #expect(kiosk.feedback.last == .donationRecorded(kiosk.lastDeposit!.id, grams: Grams(2_500)))
    }

    @Test func anIdleSessionClosesByItself() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(500, into: "paper")
        kiosk.waitSeconds(58)
        #expect(kiosk.sessionsClosed.isEmpty)
        kiosk.waitSeconds(3)
        #expect(kiosk.sessionsClosed.map(\.reason) == [.idleTimeout])
        kiosk.deposit(500, into: "paper")
        #expect(kiosk.lastDeposit?.reason == .anonymous)
    }

    @Test func secondTapDuringADepositClosesAfterIt() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.open("plastic")
        kiosk.waitSeconds(0.3)
        kiosk.place(grams: 800)
        kiosk.tap(Fixtures.cardA)
        #expect(kiosk.sessionsClosed.isEmpty)
        kiosk.waitSeconds(0.5)
        kiosk.close("plastic")
        kiosk.waitSeconds(1.5)
        #expect(kiosk.lastDeposit?.reason == .credited)
        #expect(kiosk.sessionsClosed.map(\.reason) == [.cardTappedAgain])
    }

    @Test func dailyCreditCapLimitsWhatOneCardTakes() {
        var kiosk = KioskHarness(configuration: Fixtures.kiosk { $0.caps = DailyCaps(creditMinorUnits: 2_000) })
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(5_000, into: "plastic")  // 1500
        kiosk.deposit(5_000, into: "plastic")  // 1500, capped to 500
        kiosk.deposit(5_000, into: "plastic")  // nothing left
        #expect(kiosk.ledger.map(\.reason) == [.credited, .capped, .capped])
        #expect(kiosk.ledger.map(\.credit) == [1_500, 500, 0])
        #expect(kiosk.credit(of: HouseholdID(1)) == 2_000)
        // The cap counts what was credited earlier today, in another session.
        kiosk.tap(Fixtures.cardA)
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.lastDeposit?.reason == .capped)
        #expect(kiosk.lastDeposit?.credit == 0)
        // A new local day starts the cap again.
        kiosk.feed(.localDayChanged(LocalDay(year: 2026, month: 11, day: 24)))
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.lastDeposit?.reason == .credited)
        #expect(kiosk.lastDeposit?.credit == 300)
    }

    @Test func dailyKilogramCapLimitsTheGramsThatEarn() {
        var kiosk = KioskHarness(configuration: Fixtures.kiosk { $0.caps = DailyCaps(grams: 6_000) })
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(4_000, into: "metal")
        kiosk.deposit(4_000, into: "metal")
        #expect(kiosk.ledger.map(\.creditedGrams) == [Grams(4_000), Grams(2_000)])
        #expect(kiosk.ledger.map(\.credit) == [3_200, 1_600])
        #expect(kiosk.ledger.map(\.net) == [Grams(4_000), Grams(4_000)])
    }

    @Test func aMaterialWithoutAPriceIsRecordedNotCredited() {
        let prices = PriceTable(
            version: 9, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: ["plastic": 300])
        var kiosk = KioskHarness(prices: prices)
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "glass")
        #expect(kiosk.lastDeposit?.reason == .noPrice)
        kiosk.feed(.pricesChanged(nil))
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.lastDeposit?.reason == .noPrice)
    }

    @Test func theRemainderCarriesAcrossDepositsAndSessions() {
        let prices = PriceTable(
            version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: ["paper": 7])
        var kiosk = KioskHarness(prices: prices)
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(250, into: "paper")  // 1.75 → 1, carry 750
        kiosk.tap(Fixtures.cardA)
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(250, into: "paper")  // 1.75 + 0.75 = 2.5 → 2, carry 500
        kiosk.deposit(250, into: "paper")  // 1.75 + 0.5 = 2.25 → 2, carry 250
        #expect(kiosk.ledger.map(\.credit) == [1, 2, 2])
        #expect(kiosk.ledger.map(\.carryOut.thousandths) == [750, 500, 250])
        #expect(kiosk.credit(of: HouseholdID(1)) == 750 * 7 / 1000)
    }

    @Test func anOverloadMidDepositRecordsAFaultAndClosesTheSession() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.open("metal")
        kiosk.waitSeconds(0.3)
        kiosk.place(grams: 65_000)
        kiosk.waitSeconds(0.5)
        kiosk.close("metal")
        kiosk.waitSeconds(1.5)
        #expect(kiosk.lastDeposit?.reason == .fault)
        #expect(kiosk.lastDeposit?.credit == 0)
        #expect(kiosk.kiosk.status.faults == [.scale(.overload)])
        #expect(kiosk.sessionsClosed.map(\.reason) == [.outOfService])
        #expect(kiosk.feedback.contains(.outOfService))
        kiosk.place(grams: -65_000)
        kiosk.waitSeconds(1.5)
        #expect(kiosk.kiosk.status.inService)
        #expect(kiosk.feedback.last == .backInService)
    }

    @Test func aPulledScaleCableMidDepositIsAFaultNotACredit() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.open("plastic")
        kiosk.waitSeconds(0.3)
        kiosk.place(grams: 1_000)
        kiosk.sensorConnected = false
        kiosk.waitSeconds(3)
        kiosk.close("plastic")
        kiosk.waitSeconds(1)
        #expect(kiosk.lastDeposit?.reason == .fault)
        #expect(kiosk.kiosk.status.faults == [.scale(.sensorSilent)])
        kiosk.sensorConnected = true
        kiosk.waitSeconds(1.5)
        #expect(kiosk.kiosk.status.inService)
    }

    @Test func aLidProppedOpenIsAFaultUntilItCloses() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.open("glass")
        kiosk.waitSeconds(121)
        #expect(kiosk.kiosk.status.faults == [.lidStuckOpen("glass")])
        kiosk.tap(Fixtures.cardA)
        #expect(kiosk.feedback.last == .tapRefused(Fixtures.cardA, .outOfService))
        kiosk.close("glass")
        #expect(kiosk.kiosk.status.inService)
    }

    @Test func lidsOpenedInServiceModeAreNotDeposits() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.beginService()
        kiosk.open("paper")
        kiosk.place(grams: -3_000)
        kiosk.waitSeconds(200)
        kiosk.close("paper")
        kiosk.waitSeconds(2)
        #expect(kiosk.ledger.isEmpty)
        // Emptying a bin on the platform leaves the scale far below zero.
        #expect(kiosk.kiosk.status.faults == [.scale(.underload), .serviceMode])
        kiosk.endService()
        kiosk.waitSeconds(1.5)
        #expect(kiosk.kiosk.status.inService)
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "paper")
        #expect(kiosk.lastDeposit?.reason == .credited)
        #expect(kiosk.lastDeposit?.net == Grams(1_000))
    }

    @Test func aDepositWhileOutOfServiceIsRecordedAsSuch() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.feed(.faultRaised(.cardReader, at: kiosk.now))
        kiosk.deposit(1_000, into: "plastic")
        #expect(kiosk.lastDeposit?.reason == .outOfService)
        #expect(kiosk.lastDeposit?.credit == 0)
    }

    @Test func shutdownMidDepositRecordsItInterruptedAndClosesTheSession() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.tap(Fixtures.cardA)
        kiosk.deposit(1_000, into: "plastic")
        kiosk.open("plastic")
        kiosk.place(grams: 500)
        kiosk.feed(.shutdown(at: kiosk.now))
        #expect(kiosk.ledger.map(\.reason) == [.credited, .interrupted])
        #expect(kiosk.sessionsClosed.map(\.reason) == [.shutdown])
        #expect(kiosk.sessionsClosed.first?.credit == 300)
    }

    @Test func depositAndSessionIDsContinueFromTheLedger() {
        var machine = KioskStateMachine(
            configuration: Fixtures.kiosk(), nextDepositSequence: 41, nextSessionSequence: 17, prices: Fixtures.prices
        )
        let decisions = machine.handle(
            .cardTapped(
                CardTap(
                    card: Fixtures.cardA, lookup: .active(HouseholdAccount(id: HouseholdID(1), card: Fixtures.cardA)),
                    at: .origin
                )))
        #expect(
            decisions.first
                == .openSession(
                    SessionOpening(
                        id: SessionID(kioskID: "test-kiosk", sequence: 17), household: HouseholdID(1),
                        card: Fixtures.cardA, at: .origin)))
        _ = machine.handle(.lidOpened("plastic", at: .seconds(1)))
        _ = machine.handle(.lidClosed("plastic", at: .seconds(2)))
        let timedOut = machine.handle(.tick(.seconds(11)))
        let record = timedOut.compactMap { if case let .commitDeposit(record) = $0 { record } else { nil } }.first
        #expect(record?.id == DepositID(kioskID: "test-kiosk", sequence: 41))
        #expect(record?.reason == .unstable)
    }

    @Test func theScaleIsIdleOnlyWithoutADeposit() {
        var kiosk = KioskHarness()
        kiosk.start()
        kiosk.deposit(1_000, into: "plastic")
        let idle = kiosk.decisions.compactMap { if case let .scaleIdle(idle) = $0 { idle } else { nil } }
        #expect(idle == [false, true])
    }
}
