import Testing
@testable import MizanCore

@Suite("Weighing engine properties")
struct WeighingPropertyTests {
    /// Replays a random life of the platform (items, knocks, creep, spikes,
    /// overloads, silences) and checks every stable reading against the
    /// filtered samples of its own window, recomputed here independently.
    @Test(arguments: propertySeeds)
    func everyStableReadingComesFromAStableWindow(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        let configuration = Fixtures.weighing()
        var engine = WeighingEngine(configuration: configuration, calibration: nil, startedAt: .origin)
        var filteredTimes: [Int64] = []
        var filteredValues: [Int64] = []
        var median = MedianOfThree()
        var faults = Set<ScaleFault>()
        var stableDuringFault = 0
        var readings: [StableReading] = []
        var time = Instant.origin
        var mass: Int64 = 0
        for _ in 0..<150 {
            let phase = random.int(in: 0...9)
            switch phase {
            case 0: mass = random.int(in: 61_000_000...70_000_000)  // overload
            case 1: mass = random.int(in: -1_000_000 ... -250_000)  // underload
            case 2: mass = random.int(in: 0...30_000_000)
            default: mass += random.int(in: -50_000...50_000)
            }
            let silent = random.chance(0.05)
            let noise = random.int(in: 0...12_000)
            let samples = random.int(in: 5...150)
            for _ in 0..<samples {
                time = time + .microseconds(12_500)
                var events: [WeighingEvent] = []
                if !silent {
                    var sample = mass + (noise > 0 ? random.int(in: -noise...noise) : 0)
                    if random.chance(0.02) { sample = 8_388_607_000 }
                    engine.ingest(Milligrams(sample), at: time) { events.append($0) }
                    if let filtered = median.push(sample) {
                        filteredTimes.append(time.nanoseconds)
                        filteredValues.append(filtered)
                    }
                }
                engine.tick(at: time) { events.append($0) }
                if silent, events.contains(.faultRaised(.sensorSilent, at: time)) { median.reset() }
                for event in events {
                    switch event {
                    case let .faultRaised(fault, _): faults.insert(fault)
                    case let .faultCleared(fault, _): faults.remove(fault)
                    case let .stable(reading):
                        if !faults.isEmpty { stableDuringFault += 1 }
                        readings.append(reading)
                    default: break
                    }
                }
            }
        }
        #expect(stableDuringFault == 0, "stable reading emitted during a fault (seed \(seed))")
        #expect(!readings.isEmpty)
        var cursor = 0
        for reading in readings {
            #expect(reading.windowEnd - reading.windowStart >= .milliseconds(500))
            while filteredTimes[cursor] < reading.windowStart.nanoseconds { cursor += 1 }
            var index = cursor
            var low = Int64.max
            var high = Int64.min
            while index < filteredTimes.count, filteredTimes[index] <= reading.windowEnd.nanoseconds {
                low = min(low, filteredValues[index])
                high = max(high, filteredValues[index])
                index += 1
            }
            #expect(high - low <= configuration.motionBandMilligrams, "unstable window gave \(reading) (seed \(seed))")
        }
    }
}
