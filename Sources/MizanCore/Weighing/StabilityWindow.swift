/// The filtered samples of the last stability window, in a ring buffer
/// allocated once: the sampling path never touches the heap.
public struct StabilityWindow: Sendable {
    /// Enough for 200 samples per second over the longest allowed window.
    public static let capacity = 1024

    private var times: [Int64]
    private var values: [Int64]
    private var head = 0
    private(set) var count = 0

    public init() {
        times = Array(repeating: 0, count: Self.capacity)
        values = Array(repeating: 0, count: Self.capacity)
    }

    public mutating func reset() {
        head = 0
        count = 0
    }

    /// Adds a sample and forgets those no longer needed to cover `duration`
    /// back from `time` (the oldest kept sample is at or before the start).
    public mutating func push(time: Int64, value: Int64, duration: Int64) {
        if count == Self.capacity { dropOldest() }
        let tail = (head + count) % Self.capacity
        times[tail] = time
        values[tail] = value
        count += 1
        let start = time - duration
        while count > 1, times[(head + 1) % Self.capacity] <= start {
            dropOldest()
        }
    }

    mutating func dropOldest() {
        head = (head + 1) % Self.capacity
        count -= 1
    }

    public var oldestTime: Int64? { count == 0 ? nil : times[head] }

    /// Stable when the kept samples reach back a whole window, there are at
    /// least three of them, and their spread is within `band`.
    public func isStable(now: Int64, duration: Int64, band: Int64) -> Bool {
        stableMean(now: now, duration: duration, band: band) != nil
    }

    /// The mean when the window is stable, nil otherwise: spread and sum in
    /// one pass, since the sampling path needs both for every sample.
    public func stableMean(now: Int64, duration: Int64, band: Int64) -> Int64? {
        guard count >= 3, times[head] <= now - duration else { return nil }
        var low = Int64.max
        var high = Int64.min
        var sum: Int64 = 0
        var index = head
        for _ in 0..<count {
            let value = values[index]
            if value < low { low = value }
            if value > high { high = value }
            sum += value
            index = index + 1 == Self.capacity ? 0 : index + 1
        }
        guard high - low <= band else { return nil }
        return Self.roundedMean(sum: sum, count: count)
    }

    /// Highest minus lowest kept sample: the scale's noise at rest, for a
    /// technician (not on the sampling path).
    public var spread: Int64 {
        guard count > 0 else { return 0 }
        var low = Int64.max
        var high = Int64.min
        var index = head
        for _ in 0..<count {
            low = min(low, values[index])
            high = max(high, values[index])
            index = index + 1 == Self.capacity ? 0 : index + 1
        }
        return high - low
    }

    /// Mean of the kept samples, rounded to the nearest milligram.
    public var mean: Int64 {
        guard count > 0 else { return 0 }
        var sum: Int64 = 0
        var index = head
        for _ in 0..<count {
            sum += values[index]
            index = index + 1 == Self.capacity ? 0 : index + 1
        }
        return Self.roundedMean(sum: sum, count: count)
    }

    static func roundedMean(sum: Int64, count: Int) -> Int64 {
        let half = Int64(count) / 2
        return sum >= 0 ? (sum + half) / Int64(count) : (sum - half) / Int64(count)
    }
}
