import Foundation
import Glibc
import MizanPOSIX

/// A serial device the daemon opens as if it were real: the simulator holds
/// a pseudo-terminal's master side, and a stable path (a symlink, like
/// `/dev/serial/by-id/…`) points at its slave. Pulling the cable closes the
/// master; plugging it back makes a new pty behind the same path.
///
/// The pump thread sends while a test pulls the cable or shuts the kiosk
/// down: the descriptors live behind a lock, so a send never writes to a
/// descriptor already closed (and perhaps reused by another test's file).
public final class PseudoTerminalDevice: Sendable {
    /// The path the daemon is configured with.
    public let stablePath: String
    private struct Ends {
        var master: Int32 = -1
        var slave: Int32 = -1
        var slavePath = ""
    }
    private let ends = Guarded(Ends())

    public var slavePath: String { ends.withLock { $0.slavePath } }

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

    public var isPluggedIn: Bool { ends.withLock { $0.master >= 0 } }

    public func plugIn() throws {
        try ends.withLock { ends throws(Failure) in try plugIn(&ends) }
    }

    private func plugIn(_ ends: inout Ends) throws(Failure) {
        guard ends.master < 0 else { return }
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
        ends.master = master
        // Keep the slave open so writes before the daemon opens it are kept.
        ends.slave = slave
        ends.slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        try? FileManager.default.removeItem(atPath: stablePath)
        do {
            try FileManager.default.createSymbolicLink(atPath: stablePath, withDestinationPath: ends.slavePath)
        } catch {
            throw Failure(description: "cannot link \(stablePath) → \(ends.slavePath): \(error)")
        }
    }

    public func unplug() {
        ends.withLock { ends in
            try? FileManager.default.removeItem(atPath: stablePath)
            if ends.slave >= 0 { close(ends.slave) }
            if ends.master >= 0 { close(ends.master) }
            ends.slave = -1
            ends.master = -1
        }
    }

    /// Bytes to the daemon. Dropped while unplugged, as on a real cable.
    public func send(_ bytes: [UInt8]) {
        ends.withLock { ends in
            guard ends.master >= 0, !bytes.isEmpty else { return }
            var offset = 0
            while offset < bytes.count {
                let written = bytes.withUnsafeBytes { write(ends.master, $0.baseAddress! + offset, $0.count - offset) }
                if written <= 0 { break }
                offset += written
            }
        }
    }

    /// Bytes from the daemon, if any (never blocks).
    public func receive() -> [UInt8] {
        ends.withLock { ends in
            guard ends.master >= 0 else { return [] }
            var buffer = [UInt8](repeating: 0, count: 256)
            let count = buffer.withUnsafeMutableBytes { read(ends.master, $0.baseAddress, $0.count) }
            return count > 0 ? Array(buffer[0..<count]) : []
        }
    }
}
