import Foundation
public import Hummingbird
import Logging
public import MizanControl
public import MizanCore
public import MizanLedger
import NIOCore
import Synchronization

/// The request context: Hummingbird's, plus the client's address for the
/// failed-token limit.
public struct CooperativeContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    let client: String

    public init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        client = source.channel.remoteAddress?.ipAddress ?? "unknown"
    }
}

/// The cooperatives' read-only HTTP service. It runs on Swift concurrency's
/// threads, never the sampling thread, and reads the ledger through its own
/// read-only connection pool, so a pull never waits on — or holds up — a
/// commit.
public final class CooperativeServer: Sendable {
    public struct Settings: Sendable {
        public var host: String
        public var port: Int
        /// How long an address's wrong tokens count against it.
        public var failedTokenWindow: Duration = .seconds(60)

        public init(host: String, port: Int) {
            (self.host, self.port) = (host, port)
        }
    }

    let ledger: Ledger
    let settings: Settings
    let health: @Sendable () -> KioskStatusReport?
    /// The wall clock: which day is today, how far back a month goes.
    let clock: @Sendable () -> WallClockTime
    let log: @Sendable (String, [String: String]) -> Void
    let gate: AccessGate
    private let runner: HTTPServiceRunner
    /// Requests answered with a 4xx or 5xx since start-up.
    let refusals = Locked<Int>(0)

    public var refusedRequests: Int { refusals.value }

    /// `health` gives the kiosk's latest status (nil: the daemon does not
    /// answer); `log` records each pull with the cooperative's name.
    public init(
        ledgerPath: String, settings: Settings,
        health: @escaping @Sendable () -> KioskStatusReport?,
        clock: @escaping @Sendable () -> WallClockTime,
        log: @escaping @Sendable (String, [String: String]) -> Void
    ) throws(LedgerError) {
        ledger = try Ledger.openExisting(path: ledgerPath, readOnly: true)
        self.settings = settings
        gate = AccessGate(window: settings.failedTokenWindow)
        self.health = health
        self.clock = clock
        self.log = log
        runner = HTTPServiceRunner(host: settings.host, port: settings.port, name: "cooperatives' HTTP service")
    }

    /// Starts listening; returns the port (the given one, or the one the
    /// system chose for port 0). Blocks the calling thread until then: for
    /// the daemon's main thread, never a Swift concurrency thread.
    @discardableResult
    public func start(timeout: Duration = .seconds(10)) throws -> Int {
        try runner.start(routes(), timeout: timeout)
    }

    /// The same, for callers in Swift concurrency.
    @discardableResult
    public func start() async throws -> Int {
        try await runner.start(routes())
    }

    public func stop() {
        runner.stop()
    }

}
