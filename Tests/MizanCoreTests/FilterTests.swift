import Testing
@testable import MizanCore

@Suite("Glitch rejection and the stability window")
struct FilterTests {
    /// Trailing-ones codes an HX711 returns when a read is stretched.
    static let hx711Glitches: [Int64] = [8_388_607, 4_194_303, 2_097_151, 1_048_575, -1, 16_777_215]

    @Test(arguments: hx711Glitches)
    func aLoneGlitchNeverPassesTheMedian(_ glitch: Int64) {
        var median = MedianOfThree()
        var outputs: [Int64] = []
        for value in [1_000, 1_002, 999, glitch, 1_001, 1_000, 998] as [Int64] {
            if let output = median.push(value) { outputs.append(output) }
        }
        #expect(!outputs.contains(glitch))
        #expect(outputs.allSatisfy { (998...1_002).contains($0) })
    }

    @Test func medianNeedsThreeSamplesAndCanStartAgain() {
        var median = MedianOfThree()
        #expect(median.push(5) == nil)
        #expect(median.push(9) == nil)
        #expect(median.push(7) == 7)
        median.reset()
        #expect(median.push(1) == nil)
    }

    @Test func windowIsStableOnlyOnceItCoversTheWholeDuration() {
        var window = StabilityWindow()
        let duration: Int64 = 500_000_000
        var time: Int64 = 0
        var stableAt: Int64?
        while time <= 1_000_000_000 {
            window.push(time: time, value: 1_000, duration: duration)
            if stableAt == nil, window.isStable(now: time, duration: duration, band: 10) { stableAt = time }
            time += 12_500_000
        }
        #expect(stableAt == duration)
    }

    @Test func windowIsUnstableWhenTheSpreadExceedsTheBand() {
        var window = StabilityWindow()
        let duration: Int64 = 500_000_000
        for index in 0...60 {
            let value: Int64 = index == 50 ? 1_011 : 1_000
            window.push(time: Int64(index) * 12_500_000, value: value, duration: duration)
        }
        #expect(!window.isStable(now: 60 * 12_500_000, duration: duration, band: 10))
        #expect(window.isStable(now: 60 * 12_500_000, duration: duration, band: 11))
    }

    @Test func windowMeanRoundsToTheNearestMilligram() {
        var window = StabilityWindow()
        for (index, value) in ([1, 2, 2] as [Int64]).enumerated() {
            window.push(time: Int64(index), value: value, duration: 10)
        }
        #expect(window.mean == 2)
        window.reset()
        for (index, value) in ([-1, -2, -2] as [Int64]).enumerated() {
            window.push(time: Int64(index), value: value, duration: 10)
        }
        #expect(window.mean == -2)
    }

    @Test func cardPresenceFilterMakesOnePresenceOneTap() {
        var filter = CardPresenceFilter(gap: .milliseconds(500))
        var taps = 0
        // A card lying on the reader: a frame every 100 ms for 3 seconds.
        for frame in 0..<30 where filter.frame(Fixtures.cardA, at: .milliseconds(Int64(frame) * 100)) {
            taps += 1
        }
        #expect(taps == 1)
        // Taken away for 400 ms: still the same presence.
        let stillPresent = filter.frame(Fixtures.cardA, at: .milliseconds(3_300))
        #expect(!stillPresent)
        // Away for 600 ms: a new tap.
        let returned = filter.frame(Fixtures.cardA, at: .milliseconds(3_900))
        #expect(returned)
        // Another card is a new tap at once.
        let otherCard = filter.frame(Fixtures.cardB, at: .milliseconds(4_000))
        #expect(otherCard)
    }
}
