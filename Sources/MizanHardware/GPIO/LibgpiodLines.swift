import CGPIOD
import Glibc
import MizanPOSIX
import MizanCore

/// A GPIO chip opened through libgpiod (by name "gpiochip0", path or label).
public final class GPIOChip {
    let handle: OpaquePointer
    public let name: String

    public static var libraryVersion: String { String(cString: mizan_gpio_library_version()) }
    public static var apiVersion: Int { Int(mizan_gpio_api_version()) }

    public init(_ name: String) throws(GPIOError) {
        guard let handle = mizan_gpio_chip_open(name) else {
            throw GPIOError(line: name, operation: "opening the chip", errno: errno)
        }
        self.handle = handle
        self.name = String(cString: mizan_gpio_chip_name(handle))
    }

    deinit {
        mizan_gpio_chip_close(handle)
    }

    public var lineCount: Int { Int(mizan_gpio_chip_line_count(handle)) }

    /// Resolves an address to a chip and offset.
    public static func resolve(_ address: GPIOLineAddress) throws(GPIOError) -> (chip: String, offset: UInt32) {
        switch address {
        case let .chipOffset(chip, offset):
            return (chip, offset)
        case let .name(name):
            var chip = [CChar](repeating: 0, count: 64)
            var offset: UInt32 = 0
            guard mizan_gpio_find_line(name, &chip, chip.count, &offset) == 0 else {
                throw GPIOError(line: address.description, operation: "finding the line by name", errno: errno)
            }
            return (String(decoding: chip.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self), offset)
        }
    }

    /// Opens the line's chip and requests the line through `shim`; a busy
    /// line's error names who holds it.
    static func request(
        _ address: GPIOLineAddress, as kind: String, _ shim: (OpaquePointer, UInt32) -> OpaquePointer?
    ) throws(GPIOError) -> (GPIOChip, OpaquePointer) {
        let (chipName, offset) = try resolve(address)
        let chip = try GPIOChip(chipName)
        guard let line = shim(chip.handle, offset) else {
            let code = errno
            throw GPIOError(
                line: address.description, operation: "requesting the \(kind)", errno: code,
                heldBy: code == EBUSY ? chip.consumer(of: offset) : nil)
        }
        return (chip, line)
    }

    /// Who holds a line, for the message of a busy request.
    func consumer(of offset: UInt32) -> String? {
        var buffer = [CChar](repeating: 0, count: 64)
        guard mizan_gpio_line_consumer(handle, offset, &buffer, buffer.count) == 0 else { return nil }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}

/// An input requested through libgpiod, with bias, active-low and both
/// edges reported with kernel timestamps.
public final class LibgpiodInput: DigitalInput {
    public let address: GPIOLineAddress
    private let chip: GPIOChip
    private let line: OpaquePointer

    /// - Parameter edges: false for a line only read by level (the HX711's
    ///   DOUT), true to receive both edges with timestamps.
    public init(
        _ address: GPIOLineAddress, consumer: String, bias: GPIOBias, activeLow: Bool, edges: Bool = true
    ) throws(GPIOError) {
        let edgeMode = Int32(edges ? MIZAN_GPIO_EDGES_BOTH.rawValue : MIZAN_GPIO_EDGES_NONE.rawValue)
        (chip, line) = try GPIOChip.request(address, as: "input") { chip, offset in
            mizan_gpio_request_input(chip, offset, consumer, Int32(bias.shimValue), activeLow ? 1 : 0, edgeMode)
        }
        self.address = address
    }

    deinit {
        mizan_gpio_release(line)
    }

    public func level() throws(GPIOError) -> Bool {
        let value = mizan_gpio_get(line)
        guard value >= 0 else {
            throw GPIOError(line: address.description, operation: "reading the level", errno: errno)
        }
        return value == 1
    }

    public var readinessDescriptor: Int32 { mizan_gpio_event_fd(line) }

    public func edges(timeout: Duration) throws(GPIOError) -> [GPIOEdge] {
        var edges: [GPIOEdge] = []
        var wait = timeout.nanoseconds
        while true {
            let ready = retryingEINTR { mizan_gpio_wait_event(line, wait) }
            if ready < 0 {
                throw GPIOError(line: address.description, operation: "waiting for an edge", errno: errno)
            }
            if ready == 0 { return edges }
            var rising: Int32 = 0
            var timestamp: Int64 = 0
            guard mizan_gpio_read_event(line, &rising, &timestamp) == 0 else {
                throw GPIOError(line: address.description, operation: "reading an edge", errno: errno)
            }
            edges.append(GPIOEdge(rising: rising == 1, at: Instant(nanoseconds: timestamp)))
            wait = 0  // collect what is already queued, then return
        }
    }
}

/// An output requested through libgpiod.
public final class LibgpiodOutput: DigitalOutput {
    public let address: GPIOLineAddress
    private let chip: GPIOChip
    private let line: OpaquePointer

    public init(_ address: GPIOLineAddress, consumer: String, activeLow: Bool, initial: Bool) throws(GPIOError) {
        (chip, line) = try GPIOChip.request(address, as: "output") { chip, offset in
            mizan_gpio_request_output(chip, offset, consumer, activeLow ? 1 : 0, initial ? 1 : 0)
        }
        self.address = address
    }

    deinit {
        mizan_gpio_release(line)
    }

    public func set(_ level: Bool) throws(GPIOError) {
        guard mizan_gpio_set(line, level ? 1 : 0) == 0 else {
            throw GPIOError(line: address.description, operation: "setting the level", errno: errno)
        }
    }
}

extension GPIOBias {
    var shimValue: UInt32 {
        switch self {
        case .asIs: MIZAN_GPIO_BIAS_AS_IS.rawValue
        case .disabled: MIZAN_GPIO_BIAS_DISABLE.rawValue
        case .pullUp: MIZAN_GPIO_BIAS_PULL_UP.rawValue
        case .pullDown: MIZAN_GPIO_BIAS_PULL_DOWN.rawValue
        }
    }
}
