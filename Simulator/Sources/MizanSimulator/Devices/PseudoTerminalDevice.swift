import Foundation
import Glibc

/// A serial device the daemon opens as if it were real: the simulator holds
/// a pseudo-terminal's master side, and a stable path (a symlink, like
/// `/dev/serial/by-id/…`) points at its slave. Pulling the cable closes the
/// master; plugging it back makes a new pty behind the same path.
public final class PseudoTerminalDevice {
    /// The path the daemon is configured with.
    public let stablePath: String
    private var master: Int32 = -1
    private var slave: Int32 = -1
    public private(set) var slavePath = ""

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(stablePath: String) throws {
        self.stablePath = stablePath
        try plugIn()
    }

    deinit {
        unplug()
    }

    public var isPluggedIn: Bool { master >= 0 }

    public func plugIn() throws {
        guard master < 0 else { return }
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else {
            throw Failure(description: "openpty failed: \(String(cString: strerror(errno)))")
        }
        var settings = termios()
        tcgetattr(master, &settings)
        cfmakeraw(&settings)
        tcsetattr(master, TCSANOW, &settings)
        _ = fcntl(master, F_SETFL, fcntl(master, F_GETFL) | O_NONBLOCK)
        // ttyname_r: ttyname's static buffer is shared with every other
        // thread making a pty (tests run in parallel in one process).
        var name = [CChar](repeating: 0, count: 128)
        let nameError = ttyname_r(slave, &name, name.count)
        guard nameError == 0 else {
            close(slave)
            close(master)
            throw Failure(description: "ttyname_r failed: \(String(cString: strerror(nameError)))")
        }
        self.master = master
        // Keep the slave open so writes before the daemon opens it are kept.
        self.slave = slave
        slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        try? FileManager.default.removeItem(atPath: stablePath)
        do {
            try FileManager.default.createSymbolicLink(atPath: stablePath, withDestinationPath: slavePath)
        } catch {
            throw Failure(description: "cannot link \(stablePath) → \(slavePath): \(error)")
        }
    }

    public func unplug() {
        try? FileManager.default.removeItem(atPath: stablePath)
        if slave >= 0 { close(slave) }
        if master >= 0 { close(master) }
        slave = -1
        master = -1
    }

    /// Bytes to the daemon. Dropped while unplugged, as on a real cable.
    public func send(_ bytes: [UInt8]) {
        guard master >= 0, !bytes.isEmpty else { return }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(master, $0.baseAddress! + offset, $0.count - offset) }
            if written <= 0 { break }
            offset += written
        }
    }

    /// Bytes from the daemon, if any (never blocks).
    public func receive() -> [UInt8] {
        guard master >= 0 else { return [] }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        return count > 0 ? Array(buffer[0..<count]) : []
    }
}
