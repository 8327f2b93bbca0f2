import MizanCore

/// A deterministic, realistic stream of scale samples: noise of a few
/// grams, slow drift, HX711-style spikes, and a deposit (a placement ramp
/// then rest) every six seconds or so.
struct SampleStream {
    var times: [Int64] = []
    var values: [Int64] = []

    static func kioskDay(count: Int, seed: UInt64) -> SampleStream {
        var random = SeededRandom(seed: seed)
        var stream = SampleStream()
        stream.times.reserveCapacity(count)
        stream.values.reserveCapacity(count)
        let period: Int64 = 12_500_000  // 80 samples per second
        var load: Int64 = 0
        var target: Int64 = 0
        for index in 0..<count {
            if index % 480 == 0 {
                // Empty the platform now and then so the load stays below Max.
                target = load > 40_000_000 ? 0 : load + Int64(random.next() % 3_000) * 1000
            }
            // Items arrive over a quarter of a second.
            let step: Int64 = 400_000
            if load < target {
                load = min(target, load + step)
            } else if load > target {
                load = max(target, load - step)
            }
            let noise = Int64(random.next() % 5_001) - 2_500
            var value = load + noise + Int64(index / 4_000)
            if random.next() % 50 == 0 { value = 8_388_607_000 }  // a stretched HX711 read
            stream.times.append(Int64(index) * period)
            stream.values.append(value)
        }
        return stream
    }
}

func format(_ value: Double, decimals: Int = 0) -> String {
    var scale = 1.0
    for _ in 0..<decimals { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    if decimals == 0 { return String(Int64(rounded)) }
    return String(rounded)
}
