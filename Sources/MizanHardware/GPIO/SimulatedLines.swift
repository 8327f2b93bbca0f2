import Dispatch
import Glibc
import Synchronization
public import MizanCore
import MizanPOSIX

/// An input line driven by a test or the simulator: it keeps its level and
/// queues timestamped edges exactly as the kernel would report them
/// (one per level change, with the time of the change).
public final class SimulatedInput: DigitalInput, Sendable {
    public let address: GPIOLineAddress
    private let state: Guarded<(level: Bool, edges: [GPIOEdge], lost: Bool)>
    /// Signalled at each edge, so `edges(timeout:)` blocks as a kernel line does.
    private let wake = DispatchSemaphore(value: 0)

    public init(_ address: GPIOLineAddress, level: Bool = false) {
        self.address = address
        state = Guarded((level, [], false))
    }

    /// The outside world moves the line (a lid, a reed switch's bounce).
    public func drive(_ level: Bool, at time: Instant) {
        let changed = state.withLock { state in
            guard state.level != level else { return false }
            state.level = level
            state.edges.append(GPIOEdge(rising: level, at: time))
            return true
        }
        if changed { wake.signal() }
    }

    /// The line is gone (its source disconnected): reads fail with ENODEV
    /// until it is requested again.
    public func lose() {
        state.withLock { $0.lost = true }
        wake.signal()
    }

    /// Requested again after a loss.
    public func restore() {
        state.withLock { $0.lost = false }
    }

    public func level() throws(GPIOError) -> Bool {
        let (level, lost) = state.withLock { ($0.level, $0.lost) }
        if lost { throw lostError("reading") }
        return level
    }

    /// The edges since the last call, waiting up to `timeout` for the first.
    public func edges(timeout: Duration) throws(GPIOError) -> [GPIOEdge] {
        if timeout > .zero, state.withLock({ $0.edges.isEmpty && !$0.lost }) {
            _ = wake.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds)))
        }
        let (edges, lost) = state.withLock { state in
            defer { state.edges.removeAll() }
            return (state.edges, state.lost)
        }
        if lost { throw lostError("waiting for an edge") }
        return edges
    }

    private func lostError(_ operation: String) -> GPIOError {
        GPIOError(line: address.description, operation: operation, errno: ENODEV)
    }
}

/// An output line that records every change, so a test can ask "did green
/// light after the credit?".
public final class SimulatedOutput: DigitalOutput, Sendable {
    public let address: GPIOLineAddress
    private let clock: @Sendable () -> Instant
    private let state: Guarded<(level: Bool, changes: [GPIOEdge])>

    public init(_ address: GPIOLineAddress, clock: @escaping @Sendable () -> Instant) {
        self.address = address
        self.clock = clock
        state = Guarded((false, []))
    }

    public func set(_ level: Bool) throws(GPIOError) {
        let now = clock()
        state.withLock { state in
            guard state.level != level else { return }
            state.level = level
            state.changes.append(GPIOEdge(rising: level, at: now))
        }
    }

    public var level: Bool { state.withLock { $0.level } }
    public var changes: [GPIOEdge] { state.withLock { $0.changes } }
}
