import Foundation
import Synchronization

/// The daemon's recent log events, numbered, for the control socket's
/// `events` stream: a technician watching over SSH sees what the journal
/// sees without being given access to the journal.
public final class EventLog: Sendable {
    public struct Event: Sendable, Hashable {
        public let sequence: Int64
        public let priority: DaemonLog.Priority
        /// Milliseconds since the epoch, from the wall clock when logged.
        public let wallMilliseconds: Int64
        public let message: String
    }

    public static let shared = EventLog()

    private let capacity: Int
    private let state = Mutex<(next: Int64, events: [Event])>((1, []))

    public init(capacity: Int = 256) {
        self.capacity = capacity
    }

    public func append(_ priority: DaemonLog.Priority, _ message: String) {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        state.withLock { state in
            state.events.append(Event(sequence: state.next, priority: priority, wallMilliseconds: now, message: message))
            state.next += 1
            if state.events.count > capacity { state.events.removeFirst(state.events.count - capacity) }
        }
    }

    /// Events numbered after `sequence`, oldest first.
    public func events(after sequence: Int64) -> [Event] {
        state.withLock { state in state.events.filter { $0.sequence > sequence } }
    }

    /// The number of the latest event (0 before any).
    public var lastSequence: Int64 {
        state.withLock { $0.next - 1 }
    }
}
