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
    let executor = ServiceExecutor()
    /// Requests answered with a 4xx or 5xx since start-up.
    let refusals = Locked<Int>(0)

    public var refusedRequests: Int { refusals.value }
    private let task = Locked<Task<Void, Never>?>(nil)

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
    }

    /// Starts listening; returns the port (the given one, or the one the
    /// system chose for port 0). Blocks the calling thread until then: for
    /// the daemon's main thread, never a Swift concurrency thread.
    @discardableResult
    public func start(timeout: Duration = .seconds(10)) throws -> Int {
        let ready = DispatchSemaphore(value: 0)
        let outcome = Locked<Result<Int, ServerError>?>(nil)
        launch { result in
            outcome.set(result)
            ready.signal()
        }
        guard ready.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success,
            let result = outcome.value
        else {
            throw ServerError(description: "the HTTP service did not start within \(timeout.milliseconds) ms")
        }
        return try result.get()
    }

    /// The same, for callers in Swift concurrency.
    @discardableResult
    public func start() async throws -> Int {
        try await withCheckedThrowingContinuation { continuation in
            launch { continuation.resume(with: $0) }
        }
    }

    /// Runs the application; `started` is called exactly once, when it
    /// listens or when it could not.
    private func launch(_ started: @escaping @Sendable (Result<Int, ServerError>) -> Void) {
        let once = Locked(false)
        let report: @Sendable (Result<Int, ServerError>) -> Void = { result in
            var first = false
            once.update { done in
                first = !done
                done = true
            }
            if first { started(result) }
        }
        // Failures to start come back as the thrown error, pulls through
        // `log`; stopping by cancellation makes Hummingbird log harmless
        // errors that would only alarm a technician reading the journal.
        var logger = Logger(label: "mizan-http")
        logger.logLevel = .critical
        let settings = settings
        let application = Application(
            router: routes(),
            server: .http1(
                configuration: .init(
                    additionalChannelHandlers: [FullCloseAfterHalfClose()],
                    idleTimeout: ConnectionLimits.idleTimeout,
                    httpDecoderConfiguration: .init(
                        maxHeaderFieldSize: ConnectionLimits.maximumHeaderBytes,
                        maxHeaderListSize: ConnectionLimits.maximumHeaderBytes,
                        maxHeaderFieldCount: 100
                    )
                )),
            configuration: .init(
                address: .hostname(settings.host, port: settings.port), serverName: "mizan",
                availableConnectionsDelegate: .maximum(ConnectionLimits.maximumConnections, logger: logger)
            ),
            onServerRunning: { channel in report(.success(channel.localAddress?.port ?? settings.port)) },
            logger: logger
        )
        task.set(
            Task(executorPreference: executor) {
                do {
                    try await application.runService(gracefulShutdownSignals: [])
                } catch {
                    report(
                        .failure(
                            ServerError(description: "HTTP service on \(settings.host):\(settings.port): \(error)")))
                }
            })
    }

    public func stop() {
        task.value?.cancel()
    }

    public struct ServerError: Error, CustomStringConvertible {
        public let description: String
    }
}
