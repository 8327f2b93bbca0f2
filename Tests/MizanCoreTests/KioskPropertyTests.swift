import Testing
@testable import MizanCore

@Suite("Sessions and deposits: properties")
struct KioskPropertyTests {
    /// Random households depositing random masses at changing prices: each
    /// household is credited exactly floor(Σ net × rate / 1000), and every
    /// net mass is exactly what was dropped.
    @Test(arguments: propertySeeds)
    func householdsAreCreditedExactlyTheFloorOfTheirExactSum(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var kiosk = KioskHarness(seed: seed)
        kiosk.start()
        var dropped: [Int64] = []
        for round in 0..<6 {
            if kiosk.trueMass > 30_000_000 { kiosk.emptyBins() }
            let card = random.chance(0.5) ? Fixtures.cardA : Fixtures.cardB
            let rates = Dictionary(
                uniqueKeysWithValues: Material.pilotFractions.map { ($0.id, random.int(in: 0...997)) })
            kiosk.feed(
                .pricesChanged(
                    PriceTable(
                        version: Int64(round + 1), effectiveFrom: WallClockTime(secondsSinceEpoch: Int64(round)),
                        ratesPerKilogram: rates
                    )))
            kiosk.tap(card)
            for _ in 0..<random.int(in: 1...4) {
                let grams = random.int(in: 20...700) * 10
                let bin = BinID(rawValue: Material.pilotFractions[Int(random.int(in: 0...4))].id.rawValue)
                kiosk.deposit(grams, into: bin)
                dropped.append(grams)
            }
            kiosk.tap(card)
        }
        #expect(kiosk.ledger.map(\.net) == dropped.map { Grams($0) }, "seed \(seed)")
        #expect(kiosk.ledger.allSatisfy { $0.reason == .credited }, "seed \(seed)")
        for household in [HouseholdID(1), HouseholdID(2)] {
            let deposits = kiosk.ledger.filter { $0.household == household }
            let exact = deposits.reduce(Int64(0)) { $0 + $1.creditedGrams.value * ($1.ratePerKilogram ?? 0) }
            #expect(kiosk.credit(of: household) == exact / 1000, "seed \(seed)")
        }
    }

    /// A random life of the kiosk, hard cases included. Whatever happens:
    /// nothing is credited across a scale fault, without a session, or
    /// before its commit; ids are unique; the credit invariant holds.
    @Test(arguments: propertySeeds)
    func nothingIsCreditedThatShouldNotBe(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var kiosk = KioskHarness(seed: seed)
        kiosk.start()
        let bins: [BinID] = ["plastic", "metal", "paper", "glass", "organic"]
        let cards = [Fixtures.cardA, Fixtures.cardB, Fixtures.unknownCard, Fixtures.blockedCard]
        func anyBin() -> BinID { bins[Int(random.int(in: 0...4))] }
        // Episodes: someone comes, maybe taps, deposits, and something may
        // go wrong on the way; then whatever broke is put right.
        for _ in 0..<40 {
            if random.chance(0.7) { kiosk.tap(cards[Int(random.int(in: 0...3))]) }
            let bin = anyBin()
            kiosk.open(bin)
            let secondBin = random.chance(0.1) ? anyBin() : nil
            if let secondBin { kiosk.open(secondBin) }
            kiosk.waitSeconds(Double(random.int(in: 0...5)) / 10)
            let trouble = random.int(in: 0...19)
            switch trouble {
            case 0: kiosk.place(grams: 70_000)  // overload
            case 1: kiosk.sensorConnected = false
            case 2: kiosk.ledgerWorks = false
            case 3: kiosk.place(grams: -random.int(in: 1...500))  // something taken out
            case 4:  // the cable drops out for a moment and comes back
                kiosk.place(grams: random.int(in: 200...3_000))
                kiosk.sensorConnected = false
                kiosk.waitSeconds(2.5)
                kiosk.sensorConnected = true
            case 5:  // a brief overload: something heavy leant on the platform
                kiosk.place(grams: 70_000)
                kiosk.waitSeconds(1)
                kiosk.place(grams: -70_000 + random.int(in: 200...3_000))
            default: kiosk.place(grams: random.int(in: 0...3_000))
            }
            kiosk.waitSeconds(Double(random.int(in: 2...8)) / 10)
            kiosk.close(bin)
            if let secondBin { kiosk.close(secondBin) }
            if random.chance(0.2) { kiosk.vibration = random.int(in: 5_000...60_000) }
            kiosk.waitSeconds(Double(random.int(in: 3...30)) / 10)
            kiosk.vibration = 0
            if random.chance(0.3) { kiosk.waitSeconds(Double(random.int(in: 0...900)) / 10) }
            if random.chance(0.3) { kiosk.tap(cards[Int(random.int(in: 0...1))]) }
            // Put right what broke.
            if trouble == 0 { kiosk.place(grams: -70_000) }
            kiosk.sensorConnected = true
            if !kiosk.ledgerWorks {
                kiosk.ledgerWorks = true
                kiosk.feed(.faultCleared(.ledger, at: kiosk.now))
            }
            if kiosk.trueMass > 30_000_000 || kiosk.trueMass < 0 { kiosk.emptyBins() }
            kiosk.waitSeconds(1.5)
        }

        // Scale fault intervals, from the engine's own events.
        var faultIntervals: [(Instant, Instant)] = []
        var activeSince: [ScaleFault: Instant] = [:]
        for (time, event) in kiosk.weighingEvents {
            if case let .faultRaised(fault, _) = event { activeSince[fault] = time }
            if case let .faultCleared(fault, _) = event, let since = activeSince.removeValue(forKey: fault) {
                faultIntervals.append((since, time))
            }
        }
        faultIntervals += activeSince.values.map { ($0, kiosk.now) }

        let credited = kiosk.ledger.filter { $0.reason.isCredited }
        #expect(credited.count >= 3, "the episode mix should credit something (seed \(seed))")
        for record in credited {
            #expect(record.household != nil && record.session != nil, "credit without a session (seed \(seed))")
            #expect(record.net != nil && record.net! >= Grams(200))
            let overlapsFault = faultIntervals.contains { $0.0 <= record.decidedAt && $0.1 >= record.lidOpenedAt }
            #expect(!overlapsFault, "credited across a scale fault: \(record.id) (seed \(seed))")
        }
        // Each id committed once, and the committed ids run without a gap:
        // a refused commit gives its id to the next deposit.
        let sequences = kiosk.ledger.map(\.id.sequence)
        #expect(Set(sequences).count == sequences.count, "an id committed twice (seed \(seed))")
        #expect(
            sequences == Array(1...Int64(max(1, sequences.count))).prefix(sequences.count).map { $0 },
            "a gap in the ids (seed \(seed))")

        // Green only after its commit decision.
        var committed = Set<DepositID>()
        for decision in kiosk.decisions {
            if case let .commitDeposit(record) = decision { committed.insert(record.id) }
            if case let .feedback(.credited(id, _, _, _)) = decision {
                #expect(committed.contains(id), "green before commit for \(id) (seed \(seed))")
                #expect(kiosk.ledger.contains { $0.id == id })
            }
        }
        for household in [HouseholdID(1), HouseholdID(2)] {
            let deposits = kiosk.ledger.filter { $0.household == household && $0.reason.isCredited }
            let exact = deposits.reduce(Int64(0)) { $0 + $1.creditedGrams.value * ($1.ratePerKilogram ?? 0) }
            #expect(kiosk.credit(of: household) == exact / 1000, "seed \(seed)")
        }
    }
}
