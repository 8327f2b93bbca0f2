import Testing
@testable import MizanCore

@Suite("Zero-setting and zero-tracking")
struct ZeroTrackingTests {
    @Test func slowCreepOfAnIdleEmptyPlatformIsTracked() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        _ = driver.takeEvents()
        // Creep of +4 g: within ±0.5 e of zero.
        driver.run(milligrams: 4_000, seconds: 5)
        let tracked = driver.zeroAdjustments.filter { $0.cause == .tracking }
        #expect(!tracked.isEmpty)
        #expect(tracked.reduce(0) { $0 + $1.change.value } == 4_000)
        #expect(driver.stableReadings.last?.indication == Grams(0))
    }

    @Test func trackingNeverRunsWhileADepositIsBeingWeighed() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        _ = driver.takeEvents()
        driver.engine.setIdle(false)
        driver.run(milligrams: 4_000, seconds: 5)
        #expect(driver.zeroAdjustments.isEmpty)
        driver.engine.setIdle(true)
        driver.run(milligrams: 4_000, seconds: 5)
        #expect(!driver.zeroAdjustments.isEmpty)
    }

    @Test func aStepBeyondHalfADivisionIsNotTracked() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        // Something of 8 g dropped on: motion, then rest at +8 g.
        driver.run(milligrams: 200_000, seconds: 0.2)
        _ = driver.takeEvents()
        driver.run(milligrams: 8_000, seconds: 5)
        #expect(driver.zeroAdjustments.isEmpty)
        #expect(driver.stableReadings.last?.indication == Grams(10))
    }

    /// An indicator that rounds to e sends a slow creep (0.3 e/s) as whole
    /// steps of 10 g: each is a full e outside the ±0.5 e band, so the
    /// daemon's tracking never follows and the idle display drifts with it.
    /// This is why zero-tracking is left to the indicator (its AZT) for
    /// serial scales, and the configuration refuses `zero_tracking: true`
    /// there; the load cell's fine signal is tracked (see above).
    @Test func anIndicatorRoundingToEIsNotTrackedByTheDaemon() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        _ = driver.takeEvents()
        for step in 1...5 {
            driver.run(milligrams: Int64(step) * 10_000, seconds: 10.0 / 3.0)
        }
        // Tracking takes only the noise around the first zero, never a step.
        let followed = driver.zeroAdjustments.filter { $0.cause == .tracking }.reduce(Int64(0)) { $0 + $1.change.value }
        #expect(abs(followed) < 5_000, "tracked \(followed) mg of a 50 g creep")
        #expect(driver.stableReadings.last?.indication == Grams(50))
        // The same creep, by the indicator's own AZT, reaches the daemon as
        // a steady zero: nothing drifts, nothing to track.
        var tracked = EngineDriver(Fixtures.weighing { $0.zeroTrackingEnabled = false })
        tracked.run(milligrams: 0, seconds: 18)
        #expect(tracked.stableReadings.last?.indication == Grams(0))
    }

    @Test func trackingCanBeSwitchedOff() {
        var driver = EngineDriver(Fixtures.weighing { $0.zeroTrackingEnabled = false })
        driver.run(milligrams: 0, seconds: 1.5)
        _ = driver.takeEvents()
        driver.run(milligrams: 4_000, seconds: 5)
        #expect(driver.zeroAdjustments.isEmpty)
    }

    @Test func driftBeyondFourPercentOfMaxIsAFault() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        // Drift 4 g every 2 s, all tracked, until past 4 % of Max (2.4 kg).
        var mass: Int64 = 0
        while mass < 2_500_000, !driver.raised.contains(.zeroRangeExceeded) {
            mass += 4_000
            driver.run(milligrams: mass, seconds: 2)
        }
        #expect(driver.raised.contains(.zeroRangeExceeded))
        let offset = driver.engine.status.zeroOffsetFromStartup.value
        #expect(offset <= 2_400_000)
        #expect(offset >= 2_390_000)
    }

    @Test func manualZeroWithinRangeIsAccepted() throws {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        driver.run(milligrams: 150_000, seconds: 1.5)
        try driver.engine.setZero(at: driver.now) { driver.events.append($0) }
        #expect(driver.zeroAdjustments.last?.cause == .manual)
        #expect(driver.stableReadings.last?.indication == Grams(0))
    }

    @Test func manualZeroBeyondFourPercentIsRefused() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        driver.run(milligrams: 2_500_000, seconds: 1.5)
        #expect(throws: ZeroRefusal.outOfRange(requested: Milligrams(2_500_000), allowed: Milligrams(2_400_000))) {
            try driver.engine.setZero(at: driver.now) { _ in }
        }
    }

    @Test func manualZeroNeedsAStableScale() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        driver.run(milligrams: 100_000, seconds: 0.1)
        #expect(throws: ZeroRefusal.notStable) { try driver.engine.setZero(at: driver.now) { _ in } }
    }

    /// Every pair of tracking adjustments (i, j]: the zero moved at most
    /// 0.5 e per second of the time between them; and it never left ±4 %.
    @Test(arguments: propertySeeds)
    func trackingNeverExceedsItsRateOrRange(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var driver = EngineDriver()
        driver.random = SeededRandom(seed: seed ^ 0xABCD)
        driver.run(milligrams: 0, seconds: 1.5)
        var mass: Int64 = 0
        for _ in 0..<120 {
            switch random.int(in: 0...9) {
            case 0: driver.engine.setIdle(false)
            case 1: driver.engine.setIdle(true)
            case 2: mass += random.int(in: -30_000...30_000)  // an item or a knock
            default: mass += random.int(in: -6_000...6_000)  // creep
            }
            driver.run(milligrams: mass, seconds: Double(random.int(in: 1...30)) / 10, noise: random.int(in: 0...3_000))
        }
        let tracked = driver.zeroAdjustments.filter { $0.cause == .tracking }
        let rate = 5_000.0  // mg per second: 0.5 e with e = 10 g
        var lowestUp = Double.infinity
        var lowestDown = Double.infinity
        var sum = 0.0
        for adjustment in tracked {
            sum += Double(adjustment.change.value)
            let seconds = Double(adjustment.at.nanoseconds) / 1e9
            let up = sum - rate * seconds
            let down = -sum - rate * seconds
            #expect(up <= lowestUp + 1, "zero rose faster than 0.5 e/s (seed \(seed))")
            #expect(down <= lowestDown + 1, "zero fell faster than 0.5 e/s (seed \(seed))")
            lowestUp = min(lowestUp, up)
            lowestDown = min(lowestDown, down)
            #expect(abs(adjustment.offsetFromStartup.value) <= 2_400_000)
            #expect(abs(adjustment.change.value) <= 5_000)
        }
    }
}
