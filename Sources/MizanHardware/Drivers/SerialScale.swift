public import MizanCore

/// A weighing indicator on a serial port, continuous or polled.
public struct SerialScaleConfiguration: Hashable, Sendable, CustomStringConvertible {
    public enum Dialect: Hashable, Sendable {
        /// A&D/CAS-style: the indicator streams lines by itself.
        case continuous
        /// MT-SICS: the daemon asks with `SI` every `pollInterval`.
        case mtSICS(pollInterval: Duration)
    }

    public var serial: SerialConfiguration
    public var dialect: Dialect

    public init(serial: SerialConfiguration, dialect: Dialect) {
        self.serial = serial
        self.dialect = dialect
    }

    public var description: String {
        switch dialect {
        case .continuous: "serial scale (continuous A&D/CAS) on \(serial)"
        case let .mtSICS(interval): "serial scale (MT-SICS, SI every \(interval.milliseconds) ms) on \(serial)"
        }
    }

    public func issues(keyPrefix: String) -> [ConfigurationIssue] {
        var issues = serial.issues(keyPrefix: keyPrefix)
        if case let .mtSICS(interval) = dialect, !(Duration.milliseconds(50)...Duration.seconds(2)).contains(interval) {
            issues.append(
                .init(
                    key: "\(keyPrefix).poll_interval_ms",
                    message: "must be between 50 and 2000 ms, got \(interval.milliseconds)"))
        }
        return issues
    }
}

public enum ScaleDriverEvent: Equatable, Sendable {
    case reading(IndicatorReading, at: Instant)
    /// The indicator answered with an error (MT-SICS ES/ET/EL) or is busy.
    case indicatorError(String, at: Instant)
    case disconnected(SerialError)
    case reconnected
}

/// Reads a serial indicator: moves bytes from the port through the right
/// parser, stamps each reading, and for MT-SICS sends the polls.
public final class SerialScale {
    public let configuration: SerialScaleConfiguration
    private let port: ReconnectingSerialPort
    private let clock: () -> Instant
    private var continuous = ContinuousIndicatorParser()
    private var sics = MTSICSParser()
    private var lastPollAt: Instant?
    private var awaitingReply = false

    public init(configuration: SerialScaleConfiguration, clock: @escaping () -> Instant = MonotonicClock.now) {
        self.configuration = configuration
        self.clock = clock
        port = ReconnectingSerialPort(configuration: configuration.serial)
    }

    /// Lines or replies that were garbled and skipped.
    public var rejected: Int { continuous.linesRejected + sics.repliesRejected }

    public func connect() throws(SerialError) {
        try port.connect()
    }

    /// One step of the driver's loop: at most `timeout` long.
    public func step(timeout: Duration) -> [ScaleDriverEvent] {
        var events: [ScaleDriverEvent] = []
        step(timeout: timeout) { events.append($0) }
        return events
    }

    /// The same, each event handed to `handle` as it is read: the scale
    /// thread's way, with no array built per line.
    public func step(timeout: Duration, handle: (ScaleDriverEvent) -> Void) {
        if case let .mtSICS(interval) = configuration.dialect, port.isConnected {
            let now = clock()
            if !awaitingReply || lastPollAt.map({ now - $0 >= interval * 3 }) ?? true,
                lastPollAt.map({ now - $0 >= interval }) ?? true
            {
                do {
                    try port.write(MTSICSParser.weighImmediately)
                    lastPollAt = now
                    awaitingReply = true
                } catch {
                    handle(.disconnected(error))
                }
            }
        }
        switch port.next(timeout: timeout) {
        case let .data(bytes):
            let now = clock()
            switch configuration.dialect {
            case .continuous:
                continuous.feed(bytes) { handle(.reading($0, at: now)) }
            case .mtSICS:
                var replied = false
                sics.feed(bytes) { reply in
                    replied = true
                    handle(Self.event(reply, at: now))
                }
                if replied { awaitingReply = false }
            }
        case .timeout, .stillDisconnected:
            break
        case let .disconnected(error):
            awaitingReply = false
            handle(.disconnected(error))
        case .reconnected:
            continuous = ContinuousIndicatorParser()
            sics = MTSICSParser()
            handle(.reconnected)
        }
    }

    private static func event(_ reply: MTSICSParser.Reply, at now: Instant) -> ScaleDriverEvent {
        switch reply {
        case let .reading(reading): .reading(reading, at: now)
        case .busy: .indicatorError("busy (S I)", at: now)
        case .syntaxError: .indicatorError("syntax error (ES)", at: now)
        case .transmissionError: .indicatorError("transmission error (ET)", at: now)
        case .logicalError: .indicatorError("logical error (EL)", at: now)
        }
    }
}
