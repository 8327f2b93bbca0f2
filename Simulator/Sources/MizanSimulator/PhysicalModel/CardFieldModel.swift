public import MizanCore

/// A card entering and leaving an RDM6300's field: while present the reader
/// repeats the card's frame about every 100 ms; near the edge of the field
/// some frames are corrupted.
public struct CardFieldModel: Sendable {
    public var frameInterval: Duration = .milliseconds(100)
    /// Share of frames with one corrupted byte, in thousandths.
    public var corruptionThousandths: Int64 = 0
    private var random: SeededRandom
    public private(set) var card: CardUID?
    private var nextFrameAt: Instant = .origin

    public init(seed: UInt64) {
        random = SeededRandom(seed: seed)
    }

    public mutating func present(_ card: CardUID, at time: Instant) {
        self.card = card
        nextFrameAt = time
    }

    public mutating func remove() {
        card = nil
    }

    /// The bytes the reader sends up to `time`.
    public mutating func frames(until time: Instant) -> [UInt8] {
        guard let card, let frame = EM4100FrameParser.frame(for: card) else { return [] }
        var bytes: [UInt8] = []
        while nextFrameAt <= time {
            var next = frame
            if corruptionThousandths > 0, random.int(in: 0...999) < corruptionThousandths {
                next[Int(random.int(in: 1...12))] ^= 0x04
            }
            bytes += next
            nextFrameAt = nextFrameAt + frameInterval
        }
        return bytes
    }
}
