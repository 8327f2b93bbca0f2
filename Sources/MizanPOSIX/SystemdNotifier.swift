import Foundation

/// sd_notify without libsystemd: datagrams to $NOTIFY_SOCKET. A no-op when
/// not started by systemd.
public struct SystemdNotifier: Sendable {
    public let socketPath: String?

    public init(environment: [String: String]) {
        socketPath = environment["NOTIFY_SOCKET"]
    }

    /// From this process's environment.
    public init() {
        self.init(environment: ProcessInfo.processInfo.environment)
    }

    /// The watchdog interval systemd expects pings within, if any.
    public static func watchdogInterval(environment: [String: String]) -> Duration? {
        guard let text = environment["WATCHDOG_USEC"], let microseconds = Int64(text), microseconds > 0 else {
            return nil
        }
        return .microseconds(microseconds)
    }

    @discardableResult
    public func notify(_ state: String) -> Bool {
        guard let path = socketPath, !path.isEmpty else { return false }
        return UnixSocket.sendDatagram(Array(state.utf8), to: path)
    }
}
