public import MizanCore

/// Where a GPIO line is: a chip and an offset on it, or the line's name
/// (from the device tree, e.g. "LID_PLASTIC"). Never a global GPIO number,
/// which changes between kernels and boards.
public enum GPIOLineAddress: Hashable, Sendable, CustomStringConvertible {
    case chipOffset(chip: String, offset: UInt32)
    case name(String)

    public var description: String {
        switch self {
        case let .chipOffset(chip, offset): "\(chip) line \(offset)"
        case let .name(name): "line \"\(name)\""
        }
    }

    /// Parses "gpiochip0:17" or "name:LID_PLASTIC"; nil otherwise (a bare
    /// number is refused on purpose).
    public init?(_ text: String) {
        if text.hasPrefix("name:") {
            let name = String(text.dropFirst(5))
            guard !name.isEmpty else { return nil }
            self = .name(name)
            return
        }
        let parts = text.split(separator: ":")
        guard parts.count == 2, !parts[0].isEmpty, let offset = UInt32(parts[1]) else { return nil }
        self = .chipOffset(chip: String(parts[0]), offset: offset)
    }

    public static func issues(_ text: String, key: String) -> [ConfigurationIssue] {
        GPIOLineAddress(text) == nil
            ? [
                ConfigurationIssue(
                    key: key, message: "must be CHIP:OFFSET (e.g. gpiochip0:17) or name:LINE_NAME, got \"\(text)\"")
            ]
            : []
    }
}

public enum GPIOBias: Sendable, Hashable {
    case asIs
    case disabled
    case pullUp
    case pullDown
}

/// An edge seen on an input, with the kernel's timestamp.
public struct GPIOEdge: Hashable, Sendable {
    public let rising: Bool
    public let at: Instant

    public init(rising: Bool, at: Instant) {
        self.rising = rising
        self.at = at
    }
}

/// An input line: its level, and its edges as they happen.
public protocol DigitalInput: AnyObject {
    var address: GPIOLineAddress { get }
    func level() throws(GPIOError) -> Bool
    /// Waits up to `timeout` for edges; returns those that came (maybe none).
    func edges(timeout: Duration) throws(GPIOError) -> [GPIOEdge]
    /// A descriptor that polls readable while edges wait to be read (or the
    /// line is lost), for waiting on several lines at once.
    var readinessDescriptor: Int32 { get }
}

/// An output line: a LED, the buzzer, the HX711's clock.
public protocol DigitalOutput: AnyObject {
    var address: GPIOLineAddress { get }
    func set(_ level: Bool) throws(GPIOError)
}
