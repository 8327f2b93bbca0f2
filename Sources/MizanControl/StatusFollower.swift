import Foundation
import Synchronization
import MizanPOSIX

/// Keeps the daemon's latest status by following its `watch` stream on a
/// thread of its own, connecting again (every second) whenever the daemon
/// restarts or the stream breaks. A status older than `staleAfter` counts
/// as none: a daemon that stopped answering is not "in service".
public final class StatusFollower: Sendable {
    public let socketPath: String
    private let staleAfter: Duration
    private let latest = Guarded<(status: KioskStatusReport, at: ContinuousClock.Instant)?>(nil)
    private let running = Atomic<Bool>(true)

    public init(socketPath: String, staleAfter: Duration = .seconds(5)) {
        self.socketPath = socketPath
        self.staleAfter = staleAfter
    }

    /// The latest status, nil while the daemon does not answer.
    public var status: KioskStatusReport? {
        latest.withLock { latest in
            guard let latest, ContinuousClock.now - latest.at < staleAfter else { return nil }
            return latest.status
        }
    }

    public func start() {
        let thread = Thread { [self] in follow() }
        thread.name = "mizan-status"
        thread.start()
    }

    public func stop() {
        running.store(false, ordering: .relaxed)
    }

    private func follow() {
        while running.load(ordering: .relaxed) {
            try? ControlClient.stream(ControlRequest(.watch), to: socketPath, timeout: .seconds(3)) { response in
                if let status = response.status {
                    latest.withLock { $0 = (status, ContinuousClock.now) }
                }
                return running.load(ordering: .relaxed)
            }
            guard running.load(ordering: .relaxed) else { return }
            Thread.sleep(forTimeInterval: 1)
        }
    }
}
