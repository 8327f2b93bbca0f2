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
    /// Readable while edges are queued, as a kernel line's event descriptor
    /// is, so a loop can wait on several lines (and nothing else) at once.
    public var readinessDescriptor: Int32 { readiness.read }
    /// A pipe: a byte written per edge, all drained before the edges are taken.
    private let readiness: (read: Int32, write: Int32)

    public init(_ address: GPIOLineAddress, level: Bool = false) {
        self.address = address
        state = Guarded((level, [], false))
        var ends: [Int32] = [-1, -1]
        _ = pipe(&ends)
        for end in ends {
            _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            _ = fcntl(end, F_SETFD, FD_CLOEXEC)
        }
        readiness = (ends[0], ends[1])
    }

    deinit {
        close(readiness.read)
        close(readiness.write)
    }

    /// The outside world moves the line (a lid, a reed switch's bounce).
    public func drive(_ level: Bool, at time: Instant) {
        let changed = state.withLock { state in
            guard state.level != level else { return false }
            state.level = level
            state.edges.append(GPIOEdge(rising: level, at: time))
            return true
        }
        if changed { signalReady() }
    }

    /// The line is gone (its source disconnected): reads fail with ENODEV
    /// until it is requested again.
    public func lose() {
        state.withLock { $0.lost = true }
        signalReady()
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
            _ = try waitForEdges(on: [self], timeout: timeout)
        }
        // Cleared before the edges are taken: an edge driven in between
        // leaves the descriptor readable, never an edge unannounced.
        var drained = [UInt8](repeating: 0, count: 64)
        while read(readiness.read, &drained, drained.count) == drained.count {}
        let (edges, lost) = state.withLock { state in
            defer { state.edges.removeAll() }
            return (state.edges, state.lost)
        }
        if lost { throw lostError("waiting for an edge") }
        return edges
    }

    private func signalReady() {
        var one: UInt8 = 1
        _ = write(readiness.write, &one, 1)
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
