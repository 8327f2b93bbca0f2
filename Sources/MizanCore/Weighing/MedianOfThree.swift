/// Median of the last three samples: a lone spike (an HX711 read stretched
/// by preemption returns 0x7FFFFF or another run of trailing ones) is never
/// the middle value, so it never reaches the stability detector.
public struct MedianOfThree: Sendable {
    private var a: Int64 = 0
    private var b: Int64 = 0
    private var c: Int64 = 0
    private var filled = 0

    public init() {}

    /// Adds a sample and returns the median once three have been seen.
    public mutating func push(_ value: Int64) -> Int64? {
        pushRaw(value)
        return filled < 3 ? nil : median
    }

    mutating func pushRaw(_ value: Int64) {
        a = b
        b = c
        c = value
        if filled < 3 { filled += 1 }
    }

    var median: Int64 {
        max(min(a, b), min(max(a, b), c))
    }

    public mutating func reset() {
        filled = 0
    }
}
