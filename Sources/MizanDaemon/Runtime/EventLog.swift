public import MizanControl
import Synchronization

/// The daemon's recent events, numbered, for the control socket's `events`
/// stream: its log lines, and what each household was shown. A technician
/// watching over SSH (or the web process driving the screen) sees what the
/// journal sees without being given access to the journal.
public final class EventLog: Sendable {
    public static let shared = EventLog()

    private let capacity: Int
    private let state = Mutex<(next: Int64, events: [KioskEventReport])>((1, []))

    public init(capacity: Int = 256) {
        self.capacity = capacity
    }

    public func append(
        _ priority: DaemonLog.Priority, _ message: String, kind: String? = nil, feedback: FeedbackReport? = nil
    ) {
        let now = SystemClock.reading().wall.millisecondsSinceEpoch
        state.withLock { state in
            state.events.append(
                KioskEventReport(
                    sequence: state.next, timeMs: now, priority: priority.name, message: message, kind: kind,
                    feedback: feedback
                ))
            state.next += 1
            if state.events.count > capacity { state.events.removeFirst(state.events.count - capacity) }
        }
    }

    /// Events numbered after `sequence`, oldest first.
    public func events(after sequence: Int64) -> [KioskEventReport] {
        state.withLock { state in state.events.filter { $0.sequence > sequence } }
    }

    /// The number of the latest event (0 before any).
    public var lastSequence: Int64 {
        state.withLock { $0.next - 1 }
    }
}
