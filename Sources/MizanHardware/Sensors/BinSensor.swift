public import MizanCore

/// One bin's lid (or chute) sensor: a reed switch or IR break-beam on a
/// GPIO input, debounced from the kernel's edge timestamps.
public struct BinSensorConfiguration: Hashable, Sendable, CustomStringConvertible {
    public var bin: BinID
    public var line: GPIOLineAddress
    /// True when the input reads low while the lid is open (a reed switch
    /// to ground with a pull-up).
    public var openWhenLow: Bool
    public var bias: GPIOBias
    public var debounce: Duration
    /// A lid switch's bounce is over well within this.
    public static let defaultDebounce: Duration = .milliseconds(20)

    public init(
        bin: BinID, line: GPIOLineAddress, openWhenLow: Bool = true, bias: GPIOBias = .pullUp,
        debounce: Duration = Self.defaultDebounce
    ) {
        self.bin = bin
        self.line = line
        self.openWhenLow = openWhenLow
        self.bias = bias
        self.debounce = debounce
    }

    public var description: String {
        "bin \(bin): \(line), open when \(openWhenLow ? "low" : "high"), debounce \(debounce.milliseconds) ms"
    }

    public func issues(keyPrefix: String) -> [ConfigurationIssue] {
        (Duration.milliseconds(1)...Duration.milliseconds(500)).contains(debounce)
            ? []
            : [
                ConfigurationIssue(
                    key: "\(keyPrefix).debounce_ms",
                    message: "must be between 1 and 500 ms, got \(debounce.milliseconds)")
            ]
    }
}

/// A lid that opened or closed, dated at its first edge.
public struct LidChange: Hashable, Sendable {
    public let bin: BinID
    public let open: Bool
    public let at: Instant
}

public final class BinSensor {
    public let configuration: BinSensorConfiguration
    private let input: any DigitalInput
    private var debouncer: Debouncer

    public init(configuration: BinSensorConfiguration, input: any DigitalInput) throws(GPIOError) {
        self.configuration = configuration
        self.input = input
        debouncer = Debouncer(interval: configuration.debounce, initialLevel: try input.level())
    }

    public var isOpen: Bool { debouncer.stableLevel != configuration.openWhenLow }
    /// Edges undone within the debounce interval (a worn reed switch shows many).
    public var bounces: Int { debouncer.bounces }

    /// The line, for waiting on several sensors at once (`waitForEdges`).
    public var line: any DigitalInput { input }

    /// When an edge burst in progress becomes a certain change (or is
    /// forgotten as a bounce), if one is.
    public var settlesAt: Instant? { debouncer.settlesAt }

    /// Reads the edges that arrived within `timeout` and the changes that
    /// became certain by `now`.
    public func poll(timeout: Duration, now: Instant) throws(GPIOError) -> [LidChange] {
        var changes: [LidChange] = []
        for edge in try input.edges(timeout: timeout) {
            if let change = debouncer.edge(to: edge.rising, at: edge.at) { changes.append(lidChange(change)) }
        }
        if let change = debouncer.tick(at: now) { changes.append(lidChange(change)) }
        return changes
    }

    private func lidChange(_ change: Debouncer.Change) -> LidChange {
        LidChange(bin: configuration.bin, open: change.level != configuration.openWhenLow, at: change.at)
    }
}
