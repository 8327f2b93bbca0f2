public import MizanCore

/// Plays a kiosk's physical life on virtual time through the physical
/// models and records the device input as a trace: the scale sampled at
/// 80 Hz, lids with their bounces, card frames every 100 ms while a card
/// lies on the reader.
public struct TraceRecorder {
    private var events: [TraceEvent] = []
    public private(set) var now: Instant = .origin
    public var loadCell: LoadCellModel
    private var lids: [BinID: LidModel] = [:]
    private var cardField: CardFieldModel
    private let samplePeriod = Duration.microseconds(12_500)
    private var nextSampleAt: Instant = .origin
    /// False while the scale's cable is pulled: no samples are recorded.
    public var scaleConnected = true

    /// Bounces of a closing lid's contact.
    public var lidBounces = 3

    public init(
        seed: UInt64,
        loadCell parameters: LoadCellModel.Parameters = LoadCellModel.Parameters(),
        cardCorruptionThousandths: Int64 = 0
    ) {
        loadCell = LoadCellModel(parameters: parameters, seed: seed, at: .origin)
        cardField = CardFieldModel(seed: seed ^ 0x5A5A)
        cardField.corruptionThousandths = cardCorruptionThousandths
    }

    /// The recorded events in time order (a lid's bounces fall between
    /// later scale samples; equal times keep the order they happened in).
    public var trace: [TraceEvent] {
        events.enumerated()
            .sorted { ($0.element.microseconds, $0.offset) < ($1.element.microseconds, $1.offset) }
            .map(\.element)
    }

    /// Lets `duration` pass: scale samples and card frames are recorded.
    public mutating func wait(_ duration: Duration) {
        let end = now + duration
        while nextSampleAt <= end {
            let time = nextSampleAt
            for card in decodedFrames(until: time) { events.append(.card(card, at: time)) }
            let sample = loadCell.sample(at: time).value
            if scaleConnected { events.append(.scale(sample, at: time)) }
            nextSampleAt = nextSampleAt + samplePeriod
        }
        now = end
    }

    public mutating func seconds(_ value: Double) {
        wait(.nanoseconds(Int64(value * 1e9)))
    }

    /// A card held on the reader for `duration` (a tap is about half a second).
    public mutating func tap(_ card: CardUID, holding duration: Duration = .milliseconds(600)) {
        cardField.present(card, at: now)
        wait(duration)
        cardField.remove()
    }

    public mutating func open(_ bin: BinID) {
        var lid = lids[bin] ?? LidModel(bin: bin, bounces: lidBounces)
        for edge in lid.open(at: now) { events.append(.lid(bin, open: edge.open, at: edge.at)) }
        lids[bin] = lid
    }

    /// Closes a lid (it bounces); a slam also shakes the platform.
    public mutating func close(_ bin: BinID, slam: Bool = false) {
        var lid = lids[bin] ?? LidModel(bin: bin, bounces: lidBounces)
        for edge in lid.close(at: now) { events.append(.lid(bin, open: edge.open, at: edge.at)) }
        lids[bin] = lid
        if slam { loadCell.vibrate(peak: 40_000, for: .milliseconds(800), at: now) }
    }

    public mutating func jumpWallClock(by duration: Duration) {
        events.append(.wallJump(duration.nanoseconds / 1_000_000, at: now))
    }

    public mutating func restartDaemon() {
        events.append(.restart(at: now))
    }

    public mutating func vibrate(peakGrams: Int64, for duration: Duration) {
        loadCell.vibrate(peak: peakGrams * 1000, for: duration, at: now)
    }

    /// A technician empties the bins on the platform in service mode.
    public mutating func emptyBins() {
        events.append(.service(true, at: now))
        seconds(1)
        loadCell.empty(at: now)
        seconds(2)
        events.append(.service(false, at: now))
        seconds(2)
    }

    public mutating func drop(grams: Int64) {
        loadCell.place(milligrams: grams * 1000, at: now)
    }

    /// Open the lid, drop, close, let it settle.
    public mutating func deposit(_ grams: Int64, into bin: BinID, slam: Bool = false) {
        open(bin)
        seconds(0.6)
        drop(grams: grams)
        seconds(0.8)
        close(bin, slam: slam)
        seconds(2.5)
    }

    private mutating func decodedFrames(until time: Instant) -> [CardUID] {
        var parser = EM4100FrameParser()
        return parser.feed(cardField.frames(until: time))
    }
}
