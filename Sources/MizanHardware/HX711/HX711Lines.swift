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
    /// Sleeps for about `nanoseconds` (the driver polls DOUT between).
    func pause(nanoseconds: Int64)
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
