import Glibc

/// A failed Unix-socket operation, with the path and errno.
public struct UnixSocketError: Error, Hashable, Sendable, CustomStringConvertible {
    public let path: String
    public let operation: String
    public let errno: Int32

    public var description: String {
        "\(operation) \(path): \(String(cString: strerror(errno))) (errno \(errno))"
    }
}

/// Unix-domain sockets by path — the control socket, the simulator's GPIO
/// socket, the journal's and systemd's notify socket: the one place a
/// `sockaddr_un` is filled. A path starting with "@" names an abstract
/// socket (systemd's notation).
public enum UnixSocket {
    public enum Kind: Sendable {
        case stream
        case datagram

        var rawValue: Int32 {
            switch self {
            case .stream: Int32(SOCK_STREAM.rawValue)
            case .datagram: Int32(SOCK_DGRAM.rawValue)
            }
        }
    }

    /// Binds a new socket to `path` (replacing a stale file) and, for a
    /// stream, listens on it.
    public static func bind(
        _ kind: Kind = .stream, at path: String, backlog: Int32 = 8
    ) throws(UnixSocketError) -> Int32 {
        unlink(path)
        let descriptor = try open(kind, path: path)
        let result = withAddress(path) { Glibc.bind(descriptor, $0, $1) }
        guard result == 0, kind == .datagram || listen(descriptor, backlog) == 0 else {
            let code = result == Int32.min ? ENAMETOOLONG : errno
            close(descriptor)
            throw UnixSocketError(path: path, operation: "listening on", errno: code)
        }
        return descriptor
    }

    /// Connects a new socket to `path`.
    public static func connect(_ kind: Kind = .stream, to path: String) throws(UnixSocketError) -> Int32 {
        let descriptor = try open(kind, path: path)
        let result = withAddress(path) { Glibc.connect(descriptor, $0, $1) }
        guard result == 0 else {
            let code = result == Int32.min ? ENAMETOOLONG : errno
            close(descriptor)
            throw UnixSocketError(path: path, operation: "connecting to", errno: code)
        }
        return descriptor
    }

    /// Sends all of `bytes`, ignoring SIGPIPE (the peer may be gone).
    @discardableResult
    public static func send(_ bytes: [UInt8], on descriptor: Int32) -> Bool {
        bytes.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } == bytes.count
    }

    /// Sends one datagram to `path` from a socket of its own (sd_notify).
    @discardableResult
    public static func sendDatagram(_ bytes: [UInt8], to path: String) -> Bool {
        guard let descriptor = try? open(.datagram, path: path) else { return false }
        defer { close(descriptor) }
        let sent = withAddress(path) { address, length in
            Int32(
                bytes.withUnsafeBytes {
                    sendto(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL), address, length)
                })
        }
        return Int(sent) == bytes.count
    }

    /// A blocking read gives up after `timeout` (SO_RCVTIMEO).
    public static func setReceiveTimeout(_ timeout: Duration, on descriptor: Int32) {
        let milliseconds = Self.milliseconds(timeout)
        var limit = timeval(tv_sec: Int(milliseconds / 1000), tv_usec: Int(milliseconds % 1000) * 1000)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
    }

    /// Reads what is there into `buffer`, again when a signal interrupted
    /// the read; the count, 0 at end of stream, -1 with errno set.
    public static func read(_ descriptor: Int32, into buffer: inout [UInt8]) -> Int {
        buffer.withUnsafeMutableBytes { bytes in
            retryingEINTR { Glibc.read(descriptor, bytes.baseAddress, bytes.count) }
        }
    }

    public static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    private static func open(_ kind: Kind, path: String) throws(UnixSocketError) -> Int32 {
        let descriptor = socket(AF_UNIX, kind.rawValue, 0)
        guard descriptor >= 0 else {
            throw UnixSocketError(path: path, operation: "creating a socket for", errno: errno)
        }
        return descriptor
    }

    /// Calls `body` with the address of `path`; returns Int32.min when the
    /// path does not fit in sockaddr_un.
    private static func withAddress(_ path: String, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        // An abstract name starts with a NUL and is not NUL-terminated; a
        // path is, and its length is the whole structure's.
        let abstract = path.hasPrefix("@")
        let bytes: [UInt8] = abstract ? [0] + Array(path.utf8.dropFirst()) : Array(path.utf8) + [0]
        guard bytes.count <= MemoryLayout.size(ofValue: address.sun_path) else { return Int32.min }
        withUnsafeMutableBytes(of: &address.sun_path) { buffer in
            for (index, byte) in bytes.enumerated() { buffer[index] = byte }
        }
        let length = abstract ? MemoryLayout<sa_family_t>.size + bytes.count : MemoryLayout<sockaddr_un>.size
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(length)) }
        }
    }
}
