import Glibc

/// A failed serial operation, with the device, what was being done and the
/// operating system's errno.
public struct SerialError: Error, Hashable, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        /// The device could not be opened (missing, permissions, busy).
        case open
        /// termios refused the settings.
        case configure
        case read
        case write
        /// The device went away: a pulled USB adapter, a closed pty.
        case disconnected
    }

    public let kind: Kind
    public let path: String
    public let operation: String
    public let errno: Int32

    public init(kind: Kind, path: String, operation: String, errno: Int32) {
        self.kind = kind
        self.path = path
        self.operation = operation
        self.errno = errno
    }

    public var description: String {
        let reason = errno == 0 ? "" : ": \(String(cString: strerror(errno))) (errno \(errno))"
        return "serial \(path): \(operation) failed\(reason)" + (kind == .disconnected ? " — device disconnected" : "")
    }

    /// errno values that mean the device is gone rather than a passing error.
    static func meansDisconnected(_ code: Int32) -> Bool {
        code == EIO || code == ENXIO || code == ENODEV || code == EBADF || code == ENOENT
    }
}
