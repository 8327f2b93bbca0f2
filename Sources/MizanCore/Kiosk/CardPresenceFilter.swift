/// Turns a reader's repeated frames into taps. An RDM6300 repeats a card's
/// frame about every 100 ms while it is in the field, so a card lying on
/// the reader would otherwise tap ten times a second: one presence is one
/// tap until the card has been absent for `gap`.
public struct CardPresenceFilter: Sendable {
    public let gap: Duration
    private var lastCard: CardUID?
    private var lastSeenAt: Instant?

    public init(gap: Duration) {
        self.gap = gap
    }

    /// Feeds one valid frame; returns true when it is a new tap.
    public mutating func frame(_ card: CardUID, at time: Instant) -> Bool {
        defer {
            lastCard = card
            lastSeenAt = time
        }
        guard let lastCard, let lastSeenAt else { return true }
        return card != lastCard || time - lastSeenAt >= gap
    }
}
