public import MizanCore

/// Plays a pattern on one output line: `update(at:)` is called from the
/// daemon's timer (every 10–50 ms) and writes the line only when its level
/// changes.
public final class SignalOutput {
    public let output: any DigitalOutput
    private var pattern: SignalPattern = .off
    private var startedAt: Instant = .origin
    private var written: Bool?

    public init(output: any DigitalOutput) {
        self.output = output
    }

    public func play(_ pattern: SignalPattern, at time: Instant) throws(GPIOError) {
        self.pattern = pattern
        startedAt = time
        try update(at: time)
    }

    /// Whether the level may still change by itself: the daemon's timer
    /// runs fast only while some output is animating.
    public func isAnimating(at time: Instant) -> Bool {
        guard let duration = pattern.duration else { return true }
        return time - startedAt < duration
    }

    public func update(at time: Instant) throws(GPIOError) {
        let level = pattern.level(after: time - startedAt)
        guard level != written else { return }
        try output.set(level)
        written = level
    }
}
