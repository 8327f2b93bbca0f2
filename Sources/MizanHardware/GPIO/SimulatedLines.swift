import Synchronization
public import MizanCore

/// An input line driven by a test or the simulator: it keeps its level and
/// queues timestamped edges exactly as the kernel would report them
/// (one per level change, with the time of the change).
public final class SimulatedInput: DigitalInput, Sendable {
    public let address: GPIOLineAddress
    private let state: Mutex<(level: Bool, edges: [GPIOEdge])>

    public init(_ address: GPIOLineAddress, level: Bool = false) {
        self.address = address
        state = Mutex((level, []))
    }

    /// The outside world moves the line (a lid, a reed switch's bounce).
    public func drive(_ level: Bool, at time: Instant) {
        state.withLock { state in
            guard state.level != level else { return }
            state.level = level
            state.edges.append(GPIOEdge(rising: level, at: time))
        }
    }

    public func level() throws(GPIOError) -> Bool {
        state.withLock { $0.level }
    }

    public func edges(timeout: Duration) throws(GPIOError) -> [GPIOEdge] {
        state.withLock { state in
            defer { state.edges.removeAll() }
            return state.edges
        }
    }
}

/// An output line that records every change, so a test can ask "did green
/// light after the credit?".
public final class SimulatedOutput: DigitalOutput, Sendable {
    public let address: GPIOLineAddress
    private let clock: @Sendable () -> Instant
    private let state: Mutex<(level: Bool, changes: [GPIOEdge])>

    public init(_ address: GPIOLineAddress, clock: @escaping @Sendable () -> Instant) {
        self.address = address
        self.clock = clock
        state = Mutex((false, []))
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
