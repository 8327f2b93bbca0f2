import Testing
@testable import MizanCore
@testable import MizanHardware

@Suite("HX711 reader against a line-level model")
struct HX711Tests {
    @Test(arguments: [
        (Int32(0), Int64(0)), (1, 1), (8_388_607, 8_388_607), (-1, -1), (-8_388_608, -8_388_608),
        (123_456, 123_456), (-654_321, -654_321),
    ])
    func codesAreReadAndSignExtended(code: Int32, expected: Int64) {
        let model = HX711Model(codes: [code])
        let reader = HX711Reader(lines: model)
        guard case let .sample(counts, _) = reader.read(timeout: .seconds(1)) else {
            Issue.record("no sample")
            return
        }
        #expect(counts == expected)
        #expect(reader.longestHighNanoseconds < 50_000)
    }

    @Test(arguments: HX711Gain.allCases)
    func everyGainSendsItsExtraPulses(gain: HX711Gain) {
        let model = HX711Model(codes: [42, 43, 44])
        let reader = HX711Reader(lines: model, gain: gain)
        var samples: [Int64] = []
        for _ in 0..<3 {
            if case let .sample(counts, _) = reader.read(timeout: .seconds(1)) { samples.append(counts) }
        }
        #expect(model.lastGainPulses == gain.extraPulses)
        #expect(samples == [42, 43, 44])
    }

    @Test func conversionsComeAtTheChipsRateAfterSettling() {
        let model = HX711Model(codes: [7], samplesPerSecond: 10)
        let reader = HX711Reader(lines: model)
        var times: [Int64] = []
        for _ in 0..<4 {
            if case let .sample(_, at) = reader.read(timeout: .seconds(1)) { times.append(at.nanoseconds) }
        }
        #expect(times.count == 4)
        #expect(times[0] >= 400_000_000)  // settling at 10 SPS
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= 99_000_000 && later - earlier <= 102_000_000)
        }
    }

    /// The thread is preempted with the clock high: the chip powers down
    /// and the rest of the read is trailing ones. The reader must discard it.
    @Test(arguments: [Int64(70_000), 200_000, 5_000_000])
    func aStretchedClockPulseIsDiscardedNotReadAsAWeight(stretch: Int64) {
        let model = HX711Model(codes: [1_000, 1_000, 1_000, 1_000])
        let reader = HX711Reader(lines: model)
        if case .sample = reader.read(timeout: .seconds(1)) {} else { Issue.record("first read failed") }
        model.stretchNextHighBy = stretch
        let outcome = reader.read(timeout: .seconds(1))
        guard case let .discardedOverrun(high) = outcome else {
            Issue.record("stretched read gave \(outcome)")
            return
        }
        #expect(high >= stretch)
        #expect(model.powerDowns == 1)
        #expect(reader.overruns == 1)
        // After waking and settling, reads are good again.
        var next: HX711Reader.Outcome = .notReady
        for _ in 0..<3 {
            next = reader.read(timeout: .seconds(1))
            if case .sample = next { break }
        }
        #expect(next == .sample(counts: 1_000, at: (next.time ?? .origin)))
    }

    /// Without the timing check the same stretched read comes back as
    /// trailing ones: the model reproduces the glitch the check exists for.
    @Test(arguments: [0, 5, 12, 20])
    func withoutTheCheckAStretchedReadIsTrailingOnes(stretchedBit: Int) {
        final class StretchAtBit: HX711Lines {
            let model: HX711Model
            let bit: Int
            var rises = 0
            init(_ model: HX711Model, bit: Int) {
                self.model = model
                self.bit = bit
            }
            func setClock(_ high: Bool) {
                if high {
                    if rises == bit { model.stretchNextHighBy = 100_000 }
                    rises += 1
                }
                model.setClock(high)
            }
            func readData() -> Bool { model.readData() }
            func now() -> Int64 { model.now() }
            func pause(nanoseconds: Int64) { model.pause(nanoseconds: nanoseconds) }
        }
        let model = HX711Model(codes: [0x00_1234])
        let unchecked = HX711Reader(lines: StretchAtBit(model, bit: stretchedBit), maximumHighNanoseconds: .max)
        guard case let .sample(counts, _) = unchecked.read(timeout: .seconds(1)) else {
            Issue.record("no read")
            return
        }
        let trailing = Int64((1 << (24 - stretchedBit)) - 1)
        #expect(counts & trailing == trailing, "bit \(stretchedBit): \(String(counts, radix: 16))")
        #expect(counts != 0x1234)
    }

    @Test func aStretchJustUnderTheLimitIsKept() {
        let model = HX711Model(codes: [555])
        let reader = HX711Reader(lines: model)
        model.stretchNextHighBy = 40_000
        guard case let .sample(counts, _) = reader.read(timeout: .seconds(1)) else {
            Issue.record("read discarded")
            return
        }
        #expect(counts == 555)
        #expect(model.powerDowns == 0)
    }

    @Test func aMissingChipIsNotReady() {
        final class Unpowered: HX711Lines {
            var time: Int64 = 0
            func setClock(_ high: Bool) {}
            func readData() -> Bool { true }  // DOUT pulled up, nothing drives it
            func now() -> Int64 { time }
            func pause(nanoseconds: Int64) { time += nanoseconds }
        }
        let reader = HX711Reader(lines: Unpowered())
        #expect(reader.read(timeout: .milliseconds(200)) == .notReady)
    }

    @Test func dataStuckLowAfterTheReadIsDiscarded() {
        final class StuckLow: HX711Lines {
            var time: Int64 = 0
            func setClock(_ high: Bool) { time += 1_000 }
            func readData() -> Bool { false }  // DOUT shorted to ground
            func now() -> Int64 { time }
            func pause(nanoseconds: Int64) { time += nanoseconds }
        }
        let reader = HX711Reader(lines: StuckLow())
        #expect(reader.read(timeout: .milliseconds(200)) == .discardedNotHighAfterRead)
        #expect(reader.notHighAfterRead == 1)
    }
}

extension HX711Reader.Outcome {
    var time: Instant? {
        if case let .sample(_, at) = self { at } else { nil }
    }
}
