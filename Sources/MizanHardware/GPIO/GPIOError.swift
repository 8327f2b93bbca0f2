import Glibc

/// A failed GPIO operation: which line, what was being done, errno, and
/// for a busy line who holds it.
public struct GPIOError: Error, Hashable, Sendable, CustomStringConvertible {
    public let line: String
    public let operation: String
    public let errno: Int32
    /// The consumer holding the line, when the request failed with EBUSY.
    public let heldBy: String?

    public init(line: String, operation: String, errno: Int32, heldBy: String? = nil) {
        self.line = line
        self.operation = operation
        self.errno = errno
        self.heldBy = heldBy
    }

    public var description: String {
        var text = "GPIO \(line): \(operation) failed: \(String(cString: strerror(errno))) (errno \(errno))"
        if let heldBy {
            text += heldBy.isEmpty ? " — the line is in use" : " — the line is in use by \"\(heldBy)\""
        }
        if errno == ENOENT { text += " — is the chip present (ls /dev/gpiochip*) and the name right?" }
        if errno == EACCES { text += " — is the daemon's user in the gpio group?" }
        return text
    }
}
