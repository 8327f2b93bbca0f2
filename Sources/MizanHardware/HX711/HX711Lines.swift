/// The two lines an HX711 is bit-banged through, and a monotonic clock to
/// time the clock pulses with. Real hardware: two libgpiod lines and
/// CLOCK_MONOTONIC; tests: `HX711Model`, a line-level model of the chip.
public protocol HX711Lines: AnyObject {
    /// PD_SCK.
    func setClock(_ high: Bool)
    /// DOUT: low when a conversion is ready, then one bit per clock pulse.
    func readData() -> Bool
    /// Monotonic nanoseconds.
    func now() -> Int64
    /// Sleeps for about `nanoseconds`.
    func pause(nanoseconds: Int64)
    /// Sleeps until DOUT falls (a conversion is ready) or `timeoutNanoseconds`
    /// pass; true when DOUT is low. On the board this is a wait for the
    /// line's falling edge, not a poll: 80 wake-ups a second, not thousands.
    func waitForDataReady(timeoutNanoseconds: Int64) -> Bool
}

/// The gain and channel the next conversion uses, set by 1 to 3 extra
/// clock pulses after the 24 data bits.
public enum HX711Gain: Int, Sendable, CaseIterable {
    /// Channel A, gain 128: 25 pulses.
    case channelA128 = 1
    /// Channel B, gain 32: 26 pulses.
    case channelB32 = 2
    /// Channel A, gain 64: 27 pulses.
    case channelA64 = 3

    public var extraPulses: Int { rawValue }
}

extension HX711Lines {
    /// For lines that cannot wait on an edge (test doubles): DOUT read every
    /// half millisecond until it falls.
    public func waitForDataReady(timeoutNanoseconds: Int64) -> Bool {
        let deadline = now() + timeoutNanoseconds
        while readData() {
            if now() >= deadline { return false }
            pause(nanoseconds: 500_000)
        }
        return true
    }
}
