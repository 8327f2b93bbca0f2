public import MizanCore

/// A bin lid with a reed switch: opening is clean, closing bounces for a few
/// milliseconds (and a slammed lid also shakes the scale).
public struct LidModel: Sendable {
    public let bin: BinID
    /// The contact bounces this many times when the lid closes.
    public var bounces: Int
    public var bounceInterval: Duration
    public private(set) var isOpen = false

    public init(bin: BinID, bounces: Int = 3, bounceInterval: Duration = .microseconds(800)) {
        self.bin = bin
        self.bounces = bounces
        self.bounceInterval = bounceInterval
    }

    /// The switch's edges for opening: (open?, time).
    public mutating func open(at time: Instant) -> [(open: Bool, at: Instant)] {
        guard !isOpen else { return [] }
        isOpen = true
        return [(true, time)]
    }

    /// The switch's edges for closing, bounce included.
    public mutating func close(at time: Instant) -> [(open: Bool, at: Instant)] {
        guard isOpen else { return [] }
        isOpen = false
        var edges: [(open: Bool, at: Instant)] = [(false, time)]
        for bounce in 0..<bounces {
            let base = time + bounceInterval * (2 * bounce + 1)
            edges.append((true, base))
            edges.append((false, base + bounceInterval))
        }
        return edges
    }
}
