import Foundation
import MizanCore
public import MizanControl

/// The daemon's recent events, numbered, for the control socket's `events`
/// stream: its log lines, and what each household was shown. A technician
/// watching over SSH (or the web process driving the screen) sees what the
/// journal sees without being given access to the journal.
public final class EventLog: Sendable {
    public static let shared = EventLog()

    private let capacity: Int
    private let condition = NSCondition()
    nonisolated(unsafe) private var next: Int64 = 1
    nonisolated(unsafe) private var recent: [KioskEventReport] = []

    public init(capacity: Int = 256) {
        self.capacity = capacity
    }

    public func append(
        _ priority: DaemonLog.Priority, _ message: String, kind: String? = nil, feedback: FeedbackReport? = nil,
        fields: [String: String] = [:]
    ) {
        let now = SystemClock.reading().wall.millisecondsSinceEpoch
        condition.lock()
        defer { condition.unlock() }
        recent.append(
            KioskEventReport(
                sequence: next, timeMs: now, priority: priority.name, message: message, kind: kind,
                feedback: feedback, fields: fields.isEmpty ? nil : fields
            ))
        next += 1
        if recent.count > capacity { recent.removeFirst(recent.count - capacity) }
        condition.broadcast()
    }

    /// Events numbered after `sequence`, oldest first.
    public func events(after sequence: Int64) -> [KioskEventReport] {
        condition.lock()
        defer { condition.unlock() }
        return recent.filter { $0.sequence > sequence }
    }

    /// The same, waiting up to `timeout` for one to come: a stream's
    /// reader sleeps until there is news, and hears it at once.
    public func events(after sequence: Int64, waitingUpTo timeout: Duration) -> [KioskEventReport] {
        let deadline = Date(timeIntervalSinceNow: Double(timeout.nanoseconds) / 1e9)
        condition.lock()
        defer { condition.unlock() }
        while next - 1 <= sequence, condition.wait(until: deadline) {}
        return recent.filter { $0.sequence > sequence }
    }

    /// The number of the latest event (0 before any).
    public var lastSequence: Int64 {
        condition.lock()
        defer { condition.unlock() }
        return next - 1
    }
}
