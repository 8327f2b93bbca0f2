public import MizanCore

/// An HX711 load-cell amplifier as the simulator drives it: the platform's
/// mass turned into the chip's raw counts through a calibration, one
/// conversion per period, sent to the daemon's simulated GPIO backend. The
/// daemon bit-bangs them out of a line-level model of the chip with its own
/// HX711 reader and sampler, so the whole HX711 path runs, not a shortcut.
public struct SimulatedHX711Source: Sendable {
    /// The DOUT line's name, as the daemon's configuration gives it.
    public let dataLine: String
    public let samplesPerSecond: Int
    /// Raw counts with the platform empty, and with `referenceGrams` on it.
    public let emptyCounts: Int64
    public let loadedCounts: Int64
    public let referenceGrams: Int64
    private var nextAt: Instant

    public init(
        dataLine: String, samplesPerSecond: Int = 80, emptyCounts: Int64, loadedCounts: Int64, referenceGrams: Int64,
        start: Instant
    ) {
        self.dataLine = dataLine
        self.samplesPerSecond = samplesPerSecond
        self.emptyCounts = emptyCounts
        self.loadedCounts = loadedCounts
        self.referenceGrams = referenceGrams
        nextAt = start
    }

    /// The chip's 24-bit two's-complement code for `mass`.
    public func code(for mass: Milligrams) -> Int32 {
        let counts = emptyCounts + mass.value * (loadedCounts - emptyCounts) / (referenceGrams * 1_000)
        return Int32(clamping: min(max(counts, -0x80_0000), 0x7F_FFFF))
    }

    /// Sends each conversion due by `time`.
    public mutating func pump(until time: Instant, model: inout LoadCellModel, to gpio: GPIOSimulatorServer) {
        let period = Duration.nanoseconds(1_000_000_000 / Int64(max(1, samplesPerSecond)))
        while nextAt <= time {
            gpio.convert(dataLine, code: code(for: model.sample(at: nextAt)))
            nextAt = nextAt + period
        }
    }
}
