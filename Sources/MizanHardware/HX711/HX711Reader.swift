public import MizanCore

/// Reads one conversion at a time from an HX711 by bit-banging: wait for
/// DOUT low, clock out 24 bits (MSB first) and 1–3 gain pulses, keeping
/// PD_SCK high well under the 60 µs that powers the chip down, and measure
/// each high phase. A read whose high phase overran (the thread was
/// preempted: the chip may have powered down and returned trailing ones),
/// or after which DOUT is not high, is discarded and counted.
public final class HX711Reader {
    public enum Outcome: Equatable, Sendable {
        case sample(counts: Int64, at: Instant)
        /// No conversion became ready in time (chip unpowered, DOUT cable).
        case notReady
        /// A clock high phase lasted longer than allowed.
        case discardedOverrun(highNanoseconds: Int64)
        /// DOUT was not high after the last pulse.
        case discardedNotHighAfterRead
    }

    public let gain: HX711Gain
    /// The longest high phase accepted (the chip powers down at 60 µs).
    public let maximumHighNanoseconds: Int64
    private let lines: any HX711Lines
    public private(set) var samplesRead = 0
    public private(set) var overruns = 0
    public private(set) var notHighAfterRead = 0
    public private(set) var longestHighNanoseconds: Int64 = 0

    public init(lines: any HX711Lines, gain: HX711Gain = .channelA128, maximumHighNanoseconds: Int64 = 50_000) {
        self.lines = lines
        self.gain = gain
        self.maximumHighNanoseconds = maximumHighNanoseconds
    }

    /// Waits up to `timeout` for a conversion and reads it.
    public func read(timeout: Duration) -> Outcome {
        guard lines.waitForDataReady(timeoutNanoseconds: timeout.nanoseconds) else { return .notReady }
        let readyAt = lines.now()
        var raw: UInt32 = 0
        var longest: Int64 = 0
        for pulse in 0..<(24 + gain.extraPulses) {
            let rise = lines.now()
            lines.setClock(true)
            // DOUT shifts out on the rising edge; sample it while high.
            let bit = lines.readData()
            lines.setClock(false)
            let high = lines.now() - rise
            longest = max(longest, high)
            if pulse < 24 {
                raw = raw << 1 | (bit ? 1 : 0)
            }
        }
        longestHighNanoseconds = max(longestHighNanoseconds, longest)
        if longest > maximumHighNanoseconds {
            overruns += 1
            return .discardedOverrun(highNanoseconds: longest)
        }
        guard lines.readData() else {
            notHighAfterRead += 1
            return .discardedNotHighAfterRead
        }
        samplesRead += 1
        return .sample(counts: Self.signExtend(raw), at: Instant(nanoseconds: readyAt))
    }

    /// 24-bit two's complement to a signed value.
    static func signExtend(_ raw: UInt32) -> Int64 {
        let value = Int64(raw & 0xFF_FFFF)
        return value & 0x80_0000 != 0 ? value - 0x100_0000 : value
    }

    /// Powers the chip down (PD_SCK high > 60 µs) and up again: a reset,
    /// after which the first conversion needs the settling time (400 ms at
    /// 10 SPS, 50 ms at 80 SPS).
    public func reset() {
        lines.setClock(true)
        lines.pause(nanoseconds: 100_000)
        lines.setClock(false)
    }
}
