import Glibc

/// A serial device that may be unplugged and plugged back: reads report a
/// disconnection once, then the port is reopened (every `retryInterval`)
/// until the device is back, without the daemon restarting.
public final class ReconnectingSerialPort {
    public enum Event: Equatable {
        /// What one read brought: a slice sharing the port's buffer, so a line
        /// costs no copy (a slice kept past the next read is copied then).
        case data(ArraySlice<UInt8>)
        case timeout
        case disconnected(SerialError)
        case reconnected
        /// Still away; the last error of reopening.
        case stillDisconnected(SerialError)
    }

    public let configuration: SerialConfiguration
    public let retryInterval: Duration
    private var port: SerialPort?
    private var lastError: SerialError?
    private var buffer = [UInt8](repeating: 0, count: 256)
    public private(set) var disconnections = 0

    public init(configuration: SerialConfiguration, retryInterval: Duration = .seconds(1)) {
        self.configuration = configuration
        self.retryInterval = retryInterval
    }

    public var isConnected: Bool { port != nil }

    /// Opens the device now; throws what the first attempt met.
    public func connect() throws(SerialError) {
        port = try SerialPort.open(configuration)
        lastError = nil
    }

    /// One step of the reading loop: data, a timeout, or a change of state.
    public func next(timeout: Duration) -> Event {
        guard let port else {
            do {
                self.port = try SerialPort.open(configuration)
                lastError = nil
                return .reconnected
            } catch {
                lastError = error
                // Wait before the next attempt, as a read would have.
                var request = timespec(
                    tv_sec: Int(retryInterval.milliseconds / 1000),
                    tv_nsec: Int(retryInterval.milliseconds % 1000) * 1_000_000)
                _ = nanosleep(&request, nil)
                return .stillDisconnected(error)
            }
        }
        do {
            let count = try port.read(into: &buffer, timeout: timeout)
            return count == 0 ? .timeout : .data(buffer[0..<count])
        } catch {
            // Any read failure is treated as the device going away: close,
            // report once, and reopen on the next steps.
            port.close()
            self.port = nil
            lastError = error
            disconnections += 1
            return .disconnected(error)
        }
    }

    public func write(_ bytes: [UInt8]) throws(SerialError) {
        guard let port else {
            throw lastError
                ?? SerialError(kind: .disconnected, path: configuration.path, operation: "writing", errno: ENODEV)
        }
        try port.write(bytes)
    }
}
