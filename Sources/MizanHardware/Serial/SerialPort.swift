import Glibc
import MizanPOSIX
import MizanCore

/// One open serial device in raw mode, read and written with timeouts.
/// Every system call is retried on EINTR; every failure carries its errno.
public final class SerialPort {
    public let configuration: SerialConfiguration
    private var descriptor: Int32

    private init(configuration: SerialConfiguration, descriptor: Int32) {
        self.configuration = configuration
        self.descriptor = descriptor
    }

    deinit {
        if descriptor >= 0 { _ = Glibc.close(descriptor) }
    }

    public static func open(_ configuration: SerialConfiguration) throws(SerialError) -> SerialPort {
        let path = configuration.path
        let descriptor = retryingEINTR { Glibc.open(path, O_RDWR | O_NOCTTY | O_NONBLOCK | O_CLOEXEC) }
        guard descriptor >= 0 else {
            throw SerialError(kind: .open, path: path, operation: "opening", errno: errno)
        }
        let port = SerialPort(configuration: configuration, descriptor: descriptor)
        try port.applySettings()
        return port
    }

    public var isOpen: Bool { descriptor >= 0 }

    public func close() {
        if descriptor >= 0 {
            _ = Glibc.close(descriptor)
            descriptor = -1
        }
    }

    private func applySettings() throws(SerialError) {
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else {
            throw SerialError(
                kind: .configure, path: configuration.path, operation: "reading the terminal settings", errno: errno)
        }
        settings = Self.terminalSettings(for: configuration, from: settings)
        guard tcsetattr(descriptor, TCSANOW, &settings) == 0 else {
            throw SerialError(
                kind: .configure, path: configuration.path, operation: "applying \(configuration)", errno: errno)
        }
        _ = tcflush(descriptor, TCIOFLUSH)
    }

    /// Raw mode: no echo, no line editing, no translation of CR/LF, no
    /// signals; the requested speed, character size, parity and stop bits.
    /// (A pseudo-terminal keeps only some of these: Linux forces CS8 and no
    /// parity on ptys, so 7E1 is checked here, on the settings themselves,
    /// and through ISTRIP on a pty.)
    static func terminalSettings(for configuration: SerialConfiguration, from current: termios) -> termios {
        var settings = current
        cfmakeraw(&settings)
        settings.c_cflag |= tcflag_t(CLOCAL | CREAD)
        settings.c_cflag &= ~(tcflag_t(CSIZE | PARENB | PARODD | CSTOPB) | tcflag_t(CRTSCTS))
        settings.c_cflag |= tcflag_t(configuration.dataBits == 7 ? CS7 : CS8)
        switch configuration.parity {
        case .none: break
        case .even: settings.c_cflag |= tcflag_t(PARENB)
        case .odd: settings.c_cflag |= tcflag_t(PARENB | PARODD)
        }
        if configuration.parity != .none {
            // Check incoming parity and strip the parity bit.
            settings.c_iflag |= tcflag_t(INPCK | ISTRIP)
        }
        if configuration.stopBits == 2 { settings.c_cflag |= tcflag_t(CSTOPB) }
        let speed = speed(for: configuration.baudRate)
        _ = cfsetispeed(&settings, speed)
        _ = cfsetospeed(&settings, speed)
        return settings
    }

    /// What `terminalSettings` asks of the kernel, as framing.
    static func framing(of settings: termios, baudRate: Int) -> SerialFraming {
        var settings = settings
        let flags = settings.c_cflag
        let parity: SerialConfiguration.Parity =
            flags & tcflag_t(PARENB) == 0 ? .none : (flags & tcflag_t(PARODD) == 0 ? .even : .odd)
        return SerialFraming(
            dataBits: flags & tcflag_t(CSIZE) == tcflag_t(CS7) ? 7 : (flags & tcflag_t(CSIZE) == tcflag_t(CS8) ? 8 : 0),
            parity: parity,
            stopBits: flags & tcflag_t(CSTOPB) == 0 ? 1 : 2,
            speedMatches: cfgetispeed(&settings) == speed(for: baudRate),
            raw: settings.c_lflag & tcflag_t(ICANON | ECHO | ISIG) == 0,
            stripsParityBit: settings.c_iflag & tcflag_t(ISTRIP) != 0
        )
    }

    static func speed(for baudRate: Int) -> speed_t {
        switch baudRate {
        case 1200: speed_t(B1200)
        case 2400: speed_t(B2400)
        case 4800: speed_t(B4800)
        case 19200: speed_t(B19200)
        case 38400: speed_t(B38400)
        case 57600: speed_t(B57600)
        case 115200: speed_t(B115200)
        default: speed_t(B9600)
        }
    }

    /// The framing the kernel holds for the open device, read back (for
    /// diagnostics and tests).
    public func currentFraming() throws(SerialError) -> SerialFraming {
        var settings = termios()
        guard tcgetattr(descriptor, &settings) == 0 else {
            throw SerialError(
                kind: .configure, path: configuration.path, operation: "reading the terminal settings", errno: errno)
        }
        return Self.framing(of: settings, baudRate: configuration.baudRate)
    }

    /// Reads what is available, waiting at most `timeout` for the first
    /// byte. Returns 0 bytes on timeout; throws `.disconnected` when the
    /// device is gone.
    public func read(into buffer: inout [UInt8], timeout: Duration) throws(SerialError) -> Int {
        guard descriptor >= 0 else {
            throw SerialError(kind: .disconnected, path: configuration.path, operation: "reading", errno: EBADF)
        }
        var poller = pollfd(fd: descriptor, events: Int16(POLLIN), revents: 0)
        let milliseconds = Int32(clamping: max(0, timeout.milliseconds))
        let ready = retryingEINTR { poll(&poller, 1, milliseconds) }
        guard ready >= 0 else {
            throw SerialError(kind: .read, path: configuration.path, operation: "waiting for data", errno: errno)
        }
        if ready == 0 { return 0 }
        if poller.revents & Int16(POLLNVAL) != 0 {
            throw SerialError(
                kind: .disconnected, path: configuration.path, operation: "waiting for data", errno: EBADF)
        }
        let count = buffer.withUnsafeMutableBytes { bytes in
            retryingEINTR { Glibc.read(descriptor, bytes.baseAddress, bytes.count) }
        }
        if count > 0 { return count }
        if count == 0 || poller.revents & Int16(POLLHUP | POLLERR) != 0 {
            // End of file or hang-up: the other end is gone.
            throw SerialError(
                kind: .disconnected, path: configuration.path, operation: "reading", errno: count == 0 ? EIO : errno)
        }
        let code = errno
        if code == EAGAIN || code == EWOULDBLOCK { return 0 }
        throw SerialError(
            kind: SerialError.meansDisconnected(code) ? .disconnected : .read, path: configuration.path,
            operation: "reading", errno: code)
    }

    /// Writes every byte, waiting at most `timeout` for the device to accept them.
    public func write(_ bytes: [UInt8], timeout: Duration = .seconds(1)) throws(SerialError) {
        var offset = 0
        while offset < bytes.count {
            var poller = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
            let ready = retryingEINTR { poll(&poller, 1, Int32(clamping: timeout.milliseconds)) }
            guard ready > 0 else {
                throw SerialError(
                    kind: .write, path: configuration.path, operation: "waiting to write",
                    errno: ready == 0 ? ETIMEDOUT : errno)
            }
            let written = bytes.withUnsafeBytes { buffer in
                retryingEINTR { Glibc.write(descriptor, buffer.baseAddress! + offset, buffer.count - offset) }
            }
            if written < 0 {
                let code = errno
                if code == EAGAIN { continue }
                throw SerialError(
                    kind: SerialError.meansDisconnected(code) ? .disconnected : .write, path: configuration.path,
                    operation: "writing", errno: code)
            }
            offset += written
        }
    }
}

/// A device's framing as the kernel reports it.
public struct SerialFraming: Hashable, Sendable, CustomStringConvertible {
    public let dataBits: Int
    public let parity: SerialConfiguration.Parity
    public let stopBits: Int
    public let speedMatches: Bool
    /// No canonical mode, echo or signals.
    public let raw: Bool
    /// The eighth bit of each received byte is cleared (7-bit framing).
    public let stripsParityBit: Bool

    public var description: String { "\(dataBits)\(parity.rawValue)\(stopBits)" }
}
