/// Software debounce from kernel edge timestamps (libgpiod v1 has no
/// kernel debounce): a reed switch bounces for a few milliseconds when a lid
/// closes, so a new level counts only once it has held for `interval` since
/// the last edge. The change is dated at the first edge of the burst, when
/// the lid really moved.
public struct Debouncer: Sendable {
    public let interval: Duration
    public private(set) var stableLevel: Bool
    private var rawLevel: Bool
    private var lastEdgeAt: Instant?
    private var burstStartedAt: Instant?
    /// Edges that were undone before the interval passed.
    public private(set) var bounces = 0

    public init(interval: Duration = .milliseconds(20), initialLevel: Bool) {
        self.interval = interval
        stableLevel = initialLevel
        rawLevel = initialLevel
    }

    public struct Change: Hashable, Sendable {
        public let level: Bool
        public let at: Instant
    }

    /// An edge to `level` at `time`. Returns a change that had become
    /// certain before this edge arrived.
    public mutating func edge(to level: Bool, at time: Instant) -> Change? {
        let settled = tick(at: time)
        guard level != rawLevel else { return settled }
        if burstStartedAt == nil { burstStartedAt = time }
        if level == stableLevel { bounces += 1 }
        rawLevel = level
        lastEdgeAt = time
        return settled
    }

    /// When `tick` will next have something to decide, if an edge burst is
    /// in progress: the waiting thread sleeps until then, not in steps.
    public var settlesAt: Instant? {
        guard burstStartedAt != nil, let lastEdgeAt else { return nil }
        return lastEdgeAt + interval
    }

    /// Time passes without an edge: once the raw level has held for the
    /// interval, a different level becomes the stable one and a burst that
    /// came back to where it started is forgotten as a glitch.
    public mutating func tick(at time: Instant) -> Change? {
        guard let lastEdgeAt, let start = burstStartedAt, time - lastEdgeAt >= interval else { return nil }
        burstStartedAt = nil
        guard rawLevel != stableLevel else { return nil }
        stableLevel = rawLevel
        return Change(level: stableLevel, at: start)
    }
}
