/// Where the daemon's lines come from: the kernel through libgpiod, or the
/// simulator's socket. Device loops see only this and the `DigitalInput`,
/// `DigitalOutput` and `HX711Lines` contracts: both backends block on
/// `edges(timeout:)` the same way, and both answer a lost line (a chip gone,
/// the simulator gone) with a `GPIOError` carrying ENODEV, so a loop's
/// recovery is the same whichever it has.
public protocol GPIOBackend: Sendable {
    func input(_ address: GPIOLineAddress, bias: GPIOBias, activeLow: Bool) throws(GPIOError) -> any DigitalInput
    func output(_ address: GPIOLineAddress, activeLow: Bool) throws(GPIOError) -> any DigitalOutput
    func hx711(_ configuration: HX711Configuration) throws(GPIOError) -> any HX711Lines
}

/// Kernel GPIO through libgpiod, each line requested for `consumer`.
public struct LibgpiodBackend: GPIOBackend {
    public let consumer: String

    public init(consumer: String) {
        self.consumer = consumer
    }

    public func input(_ address: GPIOLineAddress, bias: GPIOBias, activeLow: Bool) throws(GPIOError) -> any DigitalInput
    {
        try LibgpiodInput(address, consumer: consumer, bias: bias, activeLow: activeLow)
    }

    public func output(_ address: GPIOLineAddress, activeLow: Bool) throws(GPIOError) -> any DigitalOutput {
        try LibgpiodOutput(address, consumer: consumer, activeLow: activeLow, initial: false)
    }

    public func hx711(_ configuration: HX711Configuration) throws(GPIOError) -> any HX711Lines {
        try LibgpiodHX711Lines(configuration, consumer: consumer)
    }
}
