import Glibc
public import MizanCore

public enum CardReaderEvent: Equatable, Sendable {
    /// One presentation of a card (repeated frames collapsed).
    case tap(CardUID, at: Instant)
    /// The reader is gone (a pulled adapter, a chip gone), with why; said once.
    case lost(String)
    /// It is back.
    case recovered
}

/// A card reader, whatever its wiring: the daemon's card-reader thread
/// steps it and turns its events into taps and the `card_reader` fault. A
/// lost reader is reopened by the reader itself (a serial adapter by its
/// path, GPIO lines by asking for them again), reported once each way.
public protocol CardReader: AnyObject {
    var description: String { get }
    /// Frames (or Wiegand messages) that decoded, and those that did not.
    var framesAccepted: Int { get }
    var framesRejected: Int { get }
    /// Waits up to `timeout` for what the reader has to say.
    func step(timeout: Duration) -> [CardReaderEvent]
}

/// An RDM6300-family EM4100 reader on a serial port (9600 8N1). It repeats
/// the frame about every 100 ms while a card is in the field; one presence
/// is one tap until the card has been away for the presence gap.
public final class EM4100CardReader: CardReader {
    public let serial: SerialConfiguration
    private let port: ReconnectingSerialPort
    private let clock: () -> Instant
    private var parser = EM4100FrameParser()
    private var presence: CardPresenceFilter

    public init(
        serial: SerialConfiguration, presenceGap: Duration = .milliseconds(500),
        clock: @escaping () -> Instant = MonotonicClock.now
    ) {
        self.serial = serial
        self.clock = clock
        port = ReconnectingSerialPort(configuration: serial)
        presence = CardPresenceFilter(gap: presenceGap)
    }

    public var description: String { "EM4100 reader (RDM6300) on \(serial)" }
    public var badChecksums: Int { parser.checksumErrors }
    public var framesAccepted: Int { parser.framesAccepted }
    public var framesRejected: Int { parser.framesRejected }

    public func connect() throws(SerialError) {
        try port.connect()
    }

    public func step(timeout: Duration) -> [CardReaderEvent] {
        switch port.next(timeout: timeout) {
        case let .data(bytes):
            let now = clock()
            return parser.feed(bytes).compactMap { card in
                presence.frame(card, at: now) ? .tap(card, at: now) : nil
            }
        case .timeout, .stillDisconnected:
            return []
        case let .disconnected(error):
            return [.lost("\(error)")]
        case .reconnected:
            parser = EM4100FrameParser()
            return [.recovered]
        }
    }
}

/// A Wiegand 26/34 reader on two GPIO inputs (requested active-low, so a
/// pulse on a data line is a rising logical edge).
public final class WiegandCardReader {
    private let d0: any DigitalInput
    private let d1: any DigitalInput
    private var decoder = WiegandDecoder()

    public init(d0: any DigitalInput, d1: any DigitalInput) {
        self.d0 = d0
        self.d1 = d1
    }

    public var description: String { "Wiegand reader, D0 \(d0.address), D1 \(d1.address)" }
    public var failures: [WiegandDecoder.Failure: Int] { decoder.failures }
    public private(set) var framesAccepted = 0
    public var framesRejected: Int { decoder.failures.values.reduce(0, +) }

    /// Collects the pulses of both lines (merged in time order) and returns
    /// the cards whose frames completed by `now`.
    public func step(timeout: Duration, now: Instant) throws(GPIOError) -> [CardReaderEvent] {
        if timeout > .zero { try waitForPulses(timeout: timeout, now: now) }
        let pulses =
            (try d0.edges(timeout: .zero)).filter(\.rising).map { (WiegandDecoder.Line.d0, $0.at) }
            + (try d1.edges(timeout: .zero)).filter(\.rising).map { (WiegandDecoder.Line.d1, $0.at) }
        var events: [CardReaderEvent] = []
        for (line, time) in pulses.sorted(by: { $0.1 < $1.1 }) {
            if case let .success(card)? = decoder.pulse(line, at: time) { events.append(.tap(card, at: time)) }
        }
        if case let .success(card)? = decoder.tick(at: now) { events.append(.tap(card, at: now)) }
        framesAccepted += events.count
        return events
    }

    /// Asleep on both lines until a pulse comes, the frame being received
    /// ends, or `timeout` passes.
    public func waitForPulses(timeout: Duration, now: Instant) throws(GPIOError) {
        let wait = min(timeout, decoder.frameEndsAt.map { $0 - now } ?? timeout)
        _ = try waitForEdges(on: [d0, d1], timeout: wait)
    }
}

/// A Wiegand reader on two GPIO inputs of `backend`, requested again every
/// second while they are away (their chip gone, ENODEV).
public final class GPIOWiegandCardReader: CardReader {
    public let d0: GPIOLineAddress
    public let d1: GPIOLineAddress
    private let backend: any GPIOBackend
    private let clock: () -> Instant
    private var reader: WiegandCardReader?
    private var lost = false
    private var lastAttempt: Instant?
    /// Why the lines could not be had, the first time (for the start-up log).
    public private(set) var openingError: GPIOError?

    public init(
        d0: GPIOLineAddress, d1: GPIOLineAddress, backend: any GPIOBackend,
        clock: @escaping () -> Instant = MonotonicClock.now
    ) {
        self.d0 = d0
        self.d1 = d1
        self.backend = backend
        self.clock = clock
        reopen()
    }

    public var description: String { "Wiegand reader, D0 \(d0), D1 \(d1)" }
    public var framesAccepted: Int { reader?.framesAccepted ?? 0 }
    public var framesRejected: Int { reader?.framesRejected ?? 0 }

    @discardableResult
    private func reopen() -> Bool {
        lastAttempt = clock()
        do {
            reader = WiegandCardReader(
                d0: try backend.input(d0, bias: .pullUp, activeLow: true),
                d1: try backend.input(d1, bias: .pullUp, activeLow: true)
            )
            return true
        } catch {
            if openingError == nil { openingError = error }
            return false
        }
    }

    public func step(timeout: Duration) -> [CardReaderEvent] {
        guard let current = reader else {
            if let lastAttempt, clock() - lastAttempt < .seconds(1) {
                usleep(useconds_t(clamping: min(timeout, .milliseconds(50)).nanoseconds / 1_000))
                return lost ? [] : markLost("the lines could not be requested")
            }
            guard reopen() else { return lost ? [] : markLost("the lines could not be requested") }
            guard lost else { return [] }
            lost = false
            return [.recovered]
        }
        do {
            try current.waitForPulses(timeout: timeout, now: clock())
            // The clock read after the wait: a frame that ended meanwhile is decided now.
            return try current.step(timeout: .zero, now: clock())
        } catch {
            reader = nil
            return markLost("\(error)")
        }
    }

    private func markLost(_ why: String) -> [CardReaderEvent] {
        lost = true
        return [.lost(why)]
    }
}
