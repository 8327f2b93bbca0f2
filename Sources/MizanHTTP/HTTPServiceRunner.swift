import Dispatch
import Hummingbird
import Logging
import MizanCore
import NIOCore

/// Runs one Hummingbird application on the service's own executor, with
/// the connection limits every Mizan listener shares; started from a plain
/// thread (blocking until it listens) or from Swift concurrency.
final class HTTPServiceRunner: Sendable {
    let host: String
    let port: Int
    let name: String
    private let executor = ServiceExecutor()
    private let task = Locked<Task<Void, Never>?>(nil)

    init(host: String, port: Int, name: String) {
        (self.host, self.port, self.name) = (host, port, name)
    }

    /// Starts listening; returns the port (the given one, or the one the
    /// system chose for port 0). Blocks the calling thread until then.
    func start<Context: RequestContext>(
        _ router: Router<Context>, timeout: Duration
    ) throws(HTTPServiceError) -> Int where Context.Source == ApplicationRequestContextSource {
        let ready = DispatchSemaphore(value: 0)
        let outcome = Locked<Result<Int, HTTPServiceError>?>(nil)
        launch(router) { result in
            outcome.set(result)
            ready.signal()
        }
        guard ready.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success,
            let result = outcome.value
        else {
            throw HTTPServiceError(description: "the \(name) did not start within \(timeout.milliseconds) ms")
        }
        return try result.get()
    }

    func start<Context: RequestContext>(
        _ router: Router<Context>
    ) async throws -> Int where Context.Source == ApplicationRequestContextSource {
        try await withCheckedThrowingContinuation { continuation in
            launch(router) { continuation.resume(with: $0) }
        }
    }

    func stop() {
        task.value?.cancel()
    }

    /// Runs the application; `started` is called exactly once, when it
    /// listens or when it could not.
    private func launch<Context: RequestContext>(
        _ router: Router<Context>, _ started: @escaping @Sendable (Result<Int, HTTPServiceError>) -> Void
    ) where Context.Source == ApplicationRequestContextSource {
        let once = Locked(false)
        let report: @Sendable (Result<Int, HTTPServiceError>) -> Void = { result in
            var first = false
            once.update { done in
                first = !done
                done = true
            }
            if first { started(result) }
        }
        // Failures to start come back as the thrown error, requests through
        // the services' own logs; stopping by cancellation makes Hummingbird
        // log harmless errors that would only alarm a technician.
        var logger = Logger(label: "mizan-http")
        logger.logLevel = .critical
        let (host, port, name) = (host, port, name)
        let application = Application(
            router: router,
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
                address: .hostname(host, port: port), serverName: "mizan",
                availableConnectionsDelegate: .maximum(ConnectionLimits.maximumConnections, logger: logger)
            ),
            onServerRunning: { channel in report(.success(channel.localAddress?.port ?? port)) },
            logger: logger
        )
        task.set(
            Task(executorPreference: executor) {
                do {
                    try await application.runService(gracefulShutdownSignals: [])
                } catch {
                    report(.failure(HTTPServiceError(description: "\(name) on \(host):\(port): \(error)")))
                }
            })
    }
}

public struct HTTPServiceError: Error, CustomStringConvertible {
    public let description: String
}
