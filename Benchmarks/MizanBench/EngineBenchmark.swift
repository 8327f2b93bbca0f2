import AllocationCounter
import MizanCore
import MizanHardware

/// The weighing engine on one core: samples per second against a baseline
/// loop over the same samples in the same run, and heap allocations per
/// sample in steady state.
func runEngineBenchmark(sampleCount: Int) {
    let rounds = 5

    let stream = SampleStream.kioskDay(count: sampleCount, seed: 0x4D495A414E)
    let configuration: ValidatedWeighingConfiguration
    do {
        configuration = try WeighingConfiguration().validated()
    } catch {
        print("benchmark configuration invalid: \(error)")
        return
    }

    print("Mizan weighing engine benchmark")
    print(
        "  samples per round: \(sampleCount) (80 samples/s of simulated kiosk life, deposits every ~6 s), rounds: \(rounds)"
    )

    // Baseline: the cheapest loop that still looks at every sample (median of
    // three and a running sum), so the ratio shows what the rules cost.
    var baselineBest = Duration.seconds(1_000_000)
    var baselineChecksum: Int64 = 0
    for _ in 0..<rounds {
        let clock = ContinuousClock()
        let start = clock.now
        var median = MedianOfThree()
        var sum: Int64 = 0
        for index in 0..<stream.values.count {
            if let value = median.push(stream.values[index]) { sum &+= value }
        }
        baselineBest = min(baselineBest, clock.now - start)
        baselineChecksum = sum
    }

    var engineBest = Duration.seconds(1_000_000)
    var eventCount = 0
    var allocationsPerSample = 0.0
    var bytesPerSample = 0.0
    for _ in 0..<rounds {
        var engine = WeighingEngine(
            configuration: configuration, calibration: nil, startedAt: Instant(nanoseconds: stream.times[0]))
        // Warm up: start-up zero, first stable window, lazily created storage.
        let warmUp = min(8_000, stream.values.count / 10)
        var events = 0
        for index in 0..<warmUp {
            engine.ingest(Milligrams(stream.values[index]), at: Instant(nanoseconds: stream.times[index])) { _ in
                events += 1
            }
        }
        let allocationsBefore = mizan_allocation_count()
        let bytesBefore = mizan_allocated_bytes()
        let clock = ContinuousClock()
        let start = clock.now
        for index in warmUp..<stream.values.count {
            engine.ingest(Milligrams(stream.values[index]), at: Instant(nanoseconds: stream.times[index])) { _ in
                events += 1
            }
        }
        let elapsed = clock.now - start
        let measured = Double(stream.values.count - warmUp)
        allocationsPerSample = Double(mizan_allocation_count() - allocationsBefore) / measured
        bytesPerSample = Double(mizan_allocated_bytes() - bytesBefore) / measured
        engineBest = min(engineBest, elapsed * (Double(stream.values.count) / measured))
        eventCount = events
    }

    func perSecond(_ duration: Duration) -> Double {
        Double(sampleCount) / (Double(duration.nanoseconds) / 1e9)
    }

    let baselineRate = perSecond(baselineBest)
    let engineRate = perSecond(engineBest)
    print("  baseline (median of 3 + sum):   \(format(baselineRate)) samples/s   (checksum \(baselineChecksum))")
    print("  weighing engine (all rules):    \(format(engineRate)) samples/s   (\(eventCount) events)")
    print("  engine / baseline throughput:   \(format(engineRate / baselineRate, decimals: 3))")
    print("  engine ns per sample:           \(format(1e9 / engineRate, decimals: 1))")
    print(
        "  steady state heap allocations:  \(format(allocationsPerSample, decimals: 4)) per sample, \(format(bytesPerSample, decimals: 2)) bytes per sample"
    )
    print("  real-time headroom at 80 SPS:   \(format(engineRate / 80))×")

    // The path from the HX711 sampling thread to the engine: the queue.
    let queue = SampleQueue(capacity: 256)
    var sink: Int64 = 0
    queue.push(HX711Sample(counts: 1, at: .origin))
    queue.drain { sink &+= $0.counts }
    let queueAllocationsBefore = mizan_allocation_count()
    let queueClock = ContinuousClock()
    let queueStart = queueClock.now
    for index in 0..<1_000_000 {
        queue.push(HX711Sample(counts: Int64(index), at: Instant(nanoseconds: Int64(index))))
        if index % 8 == 7 { queue.drain { sink &+= $0.counts } }
    }
    let queueElapsed = queueClock.now - queueStart
    let queueAllocations = mizan_allocation_count() - queueAllocationsBefore
    print(
        "  sample queue push+pop:          \(format(1e6 / (Double(queueElapsed.nanoseconds) / 1e9))) samples/s, \(format(Double(queueAllocations) / 1e6, decimals: 4)) allocations per sample (checksum \(sink))"
    )

    // The counter must see a known allocation, or the zero above means nothing.
    let probeBefore = mizan_allocation_count()
    let probe = [Int](repeating: sampleCount, count: 64 + sampleCount % 7)
    let probeAllocations = mizan_allocation_count() - probeBefore
    print(
        "  allocation counter self-check:  \(probeAllocations) allocation(s) for one \(probe.count)-element array (must be ≥ 1)"
    )
}
