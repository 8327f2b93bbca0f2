import Foundation
import Glibc

/// A real pseudo-terminal: the test holds the master side, the driver opens
/// the slave by its path as it would open /dev/ttyUSB0.
final class PseudoTerminal {
    private(set) var master: Int32 = -1
    let slavePath: String
    private var slave: Int32 = -1

    init() throws {
        var master: Int32 = -1
        var slave: Int32 = -1
        guard openpty(&master, &slave, nil, nil, nil) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        self.master = master
        self.slave = slave
        // ttyname_r: ttyname's static buffer is shared by every test running in parallel.
        var name = [CChar](repeating: 0, count: 128)
        let nameError = ttyname_r(slave, &name, name.count)
        guard nameError == 0 else { throw POSIXError(.init(rawValue: nameError) ?? .EIO) }
        slavePath = String(decoding: name.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        // The master side passes bytes through untouched.
        var settings = termios()
        tcgetattr(master, &settings)
        cfmakeraw(&settings)
        tcsetattr(master, TCSANOW, &settings)
    }

    deinit {
        closeMaster()
        if slave >= 0 { close(slave) }
    }

    /// What the device sends.
    func send(_ bytes: [UInt8]) {
        _ = bytes.withUnsafeBytes { write(master, $0.baseAddress, $0.count) }
    }

    func send(_ text: String) {
        send(Array(text.utf8))
    }

    /// What the device received, waiting up to `timeout` for it.
    func receive(timeout: Duration = .seconds(2)) -> [UInt8] {
        var poller = pollfd(fd: master, events: Int16(POLLIN), revents: 0)
        guard
            poll(
                &poller, 1,
                Int32(timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000)) > 0
        else { return [] }
        var buffer = [UInt8](repeating: 0, count: 256)
        let count = buffer.withUnsafeMutableBytes { read(master, $0.baseAddress, $0.count) }
        return count > 0 ? Array(buffer[0..<count]) : []
    }

    /// The cable is pulled: the device side goes away.
    func closeMaster() {
        if slave >= 0 {
            close(slave)
            slave = -1
        }
        if master >= 0 {
            close(master)
            master = -1
        }
    }
}
