public import MizanCore

public enum CardReaderEvent: Equatable, Sendable {
    /// One presentation of a card (repeated frames collapsed).
    case tap(CardUID, at: Instant)
    case disconnected(SerialError)
    case reconnected
}

/// An RDM6300-family EM4100 reader on a serial port (9600 8N1). It repeats
/// the frame about every 100 ms while a card is in the field; one presence
/// is one tap until the card has been away for the presence gap.
public final class EM4100CardReader {
    public let serial: SerialConfiguration
    private let port: ReconnectingSerialPort
    private let clock: () -> Instant
    private var parser = EM4100FrameParser()
    private var presence: CardPresenceFilter

    public init(serial: SerialConfiguration, presenceGap: Duration = .milliseconds(500), clock: @escaping () -> Instant = MonotonicClock.now) {
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
            return [.disconnected(error)]
        case .reconnected:
            parser = EM4100FrameParser()
            return [.reconnected]
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

    /// Collects the pulses of both lines (merged in time order) and returns
    /// the cards whose frames completed by `now`.
    public func step(timeout: Duration, now: Instant) throws(GPIOError) -> [CardReaderEvent] {
        let pulses = (try d0.edges(timeout: timeout)).filter(\.rising).map { (WiegandDecoder.Line.d0, $0.at) }
            + (try d1.edges(timeout: .zero)).filter(\.rising).map { (WiegandDecoder.Line.d1, $0.at) }
        var events: [CardReaderEvent] = []
        for (line, time) in pulses.sorted(by: { $0.1 < $1.1 }) {
            if case let .success(card)? = decoder.pulse(line, at: time) { events.append(.tap(card, at: time)) }
        }
        if case let .success(card)? = decoder.tick(at: now) { events.append(.tap(card, at: now)) }
        return events
    }
}
