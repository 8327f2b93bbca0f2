import Testing
@testable import MizanCore

/// Drives an engine with a constant or scripted mass at 80 samples/s.
struct EngineDriver {
    var engine: WeighingEngine
    var now: Instant = .origin
    var events: [WeighingEvent] = []
    var random = SeededRandom(seed: 7)
    let period: Duration = .microseconds(12_500)

    init(_ configuration: ValidatedWeighingConfiguration = Fixtures.weighing(), calibration: Calibration? = nil) {
        engine = WeighingEngine(configuration: configuration, calibration: calibration, startedAt: .origin)
    }

    mutating func run(milligrams: Int64, seconds: Double, noise: Int64 = 0) {
        let end = now + .nanoseconds(Int64(seconds * 1e9))
        while now < end {
            now = now + period
            let sample = milligrams + (noise > 0 ? random.int(in: -noise...noise) : 0)
            engine.ingest(Milligrams(sample), at: now) { events.append($0) }
            engine.tick(at: now) { events.append($0) }
        }
    }

    mutating func silence(seconds: Double) {
        let end = now + .nanoseconds(Int64(seconds * 1e9))
        while now < end {
            now = now + period
            engine.tick(at: now) { events.append($0) }
        }
    }

    var stableReadings: [StableReading] {
        events.compactMap { if case let .stable(reading) = $0 { reading } else { nil } }
    }

    var raised: [ScaleFault] {
        events.compactMap { if case let .faultRaised(fault, _) = $0 { fault } else { nil } }
    }

    var cleared: [ScaleFault] {
        events.compactMap { if case let .faultCleared(fault, _) = $0 { fault } else { nil } }
    }

    var zeroAdjustments: [ZeroAdjustment] {
        events.compactMap { if case let .zeroAdjusted(adjustment) = $0 { adjustment } else { nil } }
    }

    mutating func takeEvents() -> [WeighingEvent] {
        defer { events = [] }
        return events
    }
}

@Suite("Weighing engine")
struct WeighingEngineTests {
    @Test func startupZeroIsSetWhenTheEmptyPlatformComesToRest() {
        var driver = EngineDriver()
        driver.run(milligrams: 3_000_000, seconds: 1.5, noise: 2_000)
        let zero = driver.zeroAdjustments.first
        #expect(zero?.cause == .startup)
        #expect(zero.map { abs($0.change.value - 3_000_000) <= 2_000 } == true)
        #expect(driver.stableReadings.last?.indication == Grams(0))
        driver.run(milligrams: 3_000_000 + 1_250_000, seconds: 1.5, noise: 2_000)
        #expect(driver.stableReadings.last?.indication == Grams(1_250))
    }

    @Test(arguments: [
        (Int64(11_999_000), false), (12_000_000, false), (12_001_000, true), (-12_001_000, true), (-11_990_000, false),
    ])
    func startupZeroOutsideTwentyPercentOfMaxIsAFault(milligrams: Int64, faults: Bool) {
        var driver = EngineDriver()
        driver.run(milligrams: milligrams, seconds: 1.5)
        #expect(driver.raised.contains(.zeroOutOfRange) == faults)
        #expect(driver.stableReadings.isEmpty == faults)
    }

    @Test func startupZeroFaultClearsWhenThePlatformIsEmptied() {
        var driver = EngineDriver()
        driver.run(milligrams: 20_000_000, seconds: 1.5)
        #expect(driver.raised == [.zeroOutOfRange])
        driver.run(milligrams: 0, seconds: 1.5)
        #expect(driver.cleared == [.zeroOutOfRange])
        #expect(driver.stableReadings.last?.indication == Grams(0))
    }

    @Test func noReadingIsStableBeforeAWholeWindowWithinTheBand() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.0)
        _ = driver.takeEvents()
        driver.run(milligrams: 2_000_000, seconds: 0.45)
        #expect(driver.stableReadings.isEmpty)
        driver.run(milligrams: 2_000_000, seconds: 0.2)
        #expect(driver.stableReadings.map(\.indication) == [Grams(2_000)])
        let reading = driver.stableReadings[0]
        #expect(reading.windowEnd - reading.windowStart >= .milliseconds(500))
    }

    @Test func motionIsReportedWhenTheScaleLeavesRest() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        _ = driver.takeEvents()
        driver.run(milligrams: 500_000, seconds: 0.1)
        #expect(driver.events.contains { if case .motion = $0 { true } else { false } })
        #expect(driver.stableReadings.isEmpty)
    }

    @Test func stableReadingsRepeatOncePerWindowWhileAtRest() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.0)
        _ = driver.takeEvents()
        driver.run(milligrams: 0, seconds: 5.0)
        #expect((9...11).contains(driver.stableReadings.count))
    }

    @Test func noiseWiderThanTheBandIsNeverStable() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        _ = driver.takeEvents()
        // ±20 g of noise against a 10 g band.
        driver.run(milligrams: 1_000_000, seconds: 10, noise: 20_000)
        #expect(driver.stableReadings.isEmpty)
    }

    @Test(arguments: FilterTests.hx711Glitches)
    func lonelyHX711GlitchesDoNotMoveTheReading(_ glitchCounts: Int64) throws {
        let calibration = try Calibration(emptyCounts: 50_000, loadedCounts: 470_000, referenceMass: Grams(10_000))
        var driver = EngineDriver(calibration: calibration)
        var time = Instant.origin
        for index in 0..<400 {
            time = time + .microseconds(12_500)
            // 42 counts per gram; 1.25 kg on the platform after 1.5 s; one
            // glitch every 20 samples.
            let counts: Int64 = index % 20 == 10 ? glitchCounts : 50_000 + (index > 120 ? 52_500 : 0)
            driver.engine.ingest(counts: counts, at: time) { driver.events.append($0) }
        }
        #expect(!driver.raised.contains(.overload))
        #expect(!driver.raised.contains(.underload))
        #expect(driver.stableReadings.last?.indication == Grams(1_250))
        let afterPlacement = driver.stableReadings.filter { $0.windowStart > .seconds(1.6) }
        #expect(afterPlacement.count >= 4)
        #expect(Set(afterPlacement.map(\.indication)) == [Grams(1_250)])
    }

    @Test(arguments: [
        // mass above zero in grams, overloaded? (Max 60 kg, e 10 g: overload above 60 090 g)
        (Int64(60_000), false), (60_090, false), (60_100, true), (75_000, true),
    ])
    func overloadAboveMaxPlusNineDivisions(grams: Int64, overloaded: Bool) {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        _ = driver.takeEvents()
        driver.run(milligrams: grams * 1000, seconds: 1.5)
        #expect(driver.raised.contains(.overload) == overloaded)
        #expect(driver.stableReadings.isEmpty == overloaded)
        if overloaded {
            driver.run(milligrams: 10_000_000, seconds: 1.5)
            #expect(driver.cleared.contains(.overload))
            #expect(driver.stableReadings.last?.indication == Grams(10_000))
        }
    }

    @Test(arguments: [(Int64(-200), false), (-210, true), (-5_000, true)])
    func underloadBelowMinusTwentyDivisions(grams: Int64, underloaded: Bool) {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        _ = driver.takeEvents()
        driver.run(milligrams: grams * 1000, seconds: 1.5)
        #expect(driver.raised.contains(.underload) == underloaded)
    }

    @Test func aSilentSensorIsAFaultThatClearsWhenSamplesReturn() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.5)
        _ = driver.takeEvents()
        driver.silence(seconds: 1.9)
        #expect(driver.raised.isEmpty)
        driver.silence(seconds: 0.3)
        #expect(driver.raised == [.sensorSilent])
        driver.run(milligrams: 0, seconds: 1.0)
        #expect(driver.cleared == [.sensorSilent])
        #expect(!driver.stableReadings.isEmpty)
    }

    @Test func aSensorThatNeverSpeaksIsAFault() {
        var driver = EngineDriver()
        driver.silence(seconds: 2.5)
        #expect(driver.raised == [.sensorSilent])
    }

    @Test func outOfOrderSamplesAreDropped() {
        var driver = EngineDriver()
        driver.run(milligrams: 0, seconds: 1.0)
        let before = driver.engine.samplesAccepted
        driver.engine.ingest(Milligrams(9_000_000), at: .seconds(0.5)) { driver.events.append($0) }
        #expect(driver.engine.samplesAccepted == before)
        #expect(driver.engine.samplesOutOfOrder == 1)
    }
}
