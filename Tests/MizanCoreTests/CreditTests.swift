import Testing
@testable import MizanCore

@Suite("Credit and the carried remainder")
struct CreditTests {
    @Test(arguments: [
        // net g, rate per kg, carry in, credit, carry out
        (Int64(1_000), Int64(300), Int64(0), Int64(300), Int64(0)),
        (1_250, 300, 0, 375, 0),
        (333, 1, 0, 0, 333),
        (333, 1, 700, 1, 33),
        (200, 150, 0, 30, 0),
        (210, 155, 0, 32, 550),
        (210, 155, 450, 33, 0),
        (30_000, 10_000_000, 999, 300_000_000, 999),
        (1, 1, 999, 1, 0),
    ])
    func creditIsNetTimesRateOverAThousandWithTheRemainderCarried(
        net: Int64, rate: Int64, carryIn: Int64, credit: Int64, carryOut: Int64
    ) throws {
        let settlement = try CreditSettlement.settle(
            net: Grams(net), ratePerKilogram: rate, carryIn: try #require(CreditCarry(thousandths: carryIn)),
            usageToday: .zero, caps: .none
        )
        #expect(settlement.credit == credit)
        #expect(settlement.carryOut.thousandths == carryOut)
        #expect(settlement.creditedGrams == Grams(net))
        #expect(!settlement.capped)
    }

    @Test(arguments: [Int64(-1), 1_000, 5_000])
    func carryOutsideAMinorUnitIsRefused(_ thousandths: Int64) {
        #expect(CreditCarry(thousandths: thousandths) == nil)
    }

    @Test func creditCapLimitsTheCredit() throws {
        let settlement = try CreditSettlement.settle(
            net: Grams(2_000), ratePerKilogram: 300, carryIn: .zero,
            usageToday: DailyUsage(creditMinorUnits: 900, grams: 3_000),
            caps: DailyCaps(creditMinorUnits: 1_000)
        )
        #expect(settlement.credit == 100)
        #expect(settlement.capped)
    }

    @Test func gramCapLimitsTheGramsThatEarn() throws {
        let settlement = try CreditSettlement.settle(
            net: Grams(2_000), ratePerKilogram: 300, carryIn: .zero,
            usageToday: DailyUsage(creditMinorUnits: 0, grams: 9_500),
            caps: DailyCaps(grams: 10_000)
        )
        #expect(settlement.creditedGrams == Grams(500))
        #expect(settlement.credit == 150)
        #expect(settlement.capped)
    }

    @Test func anExhaustedCapEarnsNothing() throws {
        let settlement = try CreditSettlement.settle(
            net: Grams(2_000), ratePerKilogram: 300, carryIn: CreditCarry(thousandths: 400)!,
            usageToday: DailyUsage(creditMinorUnits: 1_000, grams: 0),
            caps: DailyCaps(creditMinorUnits: 1_000)
        )
        #expect(settlement.credit == 0)
        #expect(settlement.capped)
    }

    @Test func anAbsurdRateOverflowsLoudly() {
        #expect(throws: ArithmeticOverflow.self) {
            try CreditSettlement.settle(
                net: Grams(.max / 2), ratePerKilogram: 1_000, carryIn: .zero, usageToday: .zero, caps: .none
            )
        }
    }

    /// Over any sequence of deposits and rates, the credits add up to
    /// exactly floor(Σ grams × rate / 1000): rounding never takes from the
    /// household, nor gives more.
    @Test(arguments: propertySeeds)
    func creditsOverAnySequenceAreTheFloorOfTheExactSum(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var carry = CreditCarry.zero
        var credited: Int64 = 0
        var exact: Int64 = 0  // Σ grams × rate, in thousandths of a minor unit
        for _ in 0..<random.int(in: 1...400) {
            let grams = random.int(in: 0...30_000)
            let rate = random.chance(0.2) ? random.int(in: 0...10_000_000) : random.int(in: 0...2_000)
            let settlement = try CreditSettlement.settle(
                net: Grams(grams), ratePerKilogram: rate, carryIn: carry, usageToday: .zero, caps: .none
            )
            credited += settlement.credit
            carry = settlement.carryOut
            exact += grams * rate
            #expect(credited == exact / 1000, "seed \(seed)")
            #expect(carry.thousandths == exact % 1000, "seed \(seed)")
        }
    }
}
