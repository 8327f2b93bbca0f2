import Foundation
import Glibc
import MizanPOSIX
import MizanControl

/// journald's native protocol: one datagram per entry, `KEY=value` lines,
/// so that each entry carries structured fields (`MIZAN_EVENT=deposit`,
/// `MIZAN_DEPOSIT_ID=…`) a technician can filter on with
/// `journalctl -u mizand MIZAN_EVENT=deposit`.
///
/// Used only when systemd says stderr goes to the journal (`JOURNAL_STREAM`
/// names stderr's device and inode); otherwise the daemon logs to stderr
/// with priority prefixes.
final class JournalSink: Sendable {
    static let defaultSocket = "/run/systemd/journal/socket"
    private let descriptor: Int32

    /// The journal, if this process's stderr is connected to it.
    static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) -> JournalSink? {
        guard let stream = environment["JOURNAL_STREAM"], stderrIs(stream) else { return nil }
        return JournalSink(socketPath: environment["MIZAN_JOURNAL_SOCKET"] ?? defaultSocket)
    }

    /// `JOURNAL_STREAM` is "DEVICE:INODE" of the stream systemd connected;
    /// a redirected stderr no longer matches it.
    static func stderrIs(_ stream: String) -> Bool {
        let parts = stream.split(separator: ":")
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var info = stat()
        guard fstat(STDERR_FILENO, &info) == 0 else { return false }
        return UInt64(info.st_dev) == device && UInt64(info.st_ino) == inode
    }

    init?(socketPath: String) {
        guard let descriptor = try? UnixSocket.connect(.datagram, to: socketPath) else { return nil }
        self.descriptor = descriptor
    }

    /// Sends one entry; false if the journal did not take it.
    func send(priority: Int, message: String, fields: [String: String]) -> Bool {
        let datagram = Self.encode(priority: priority, message: message, fields: fields)
        return datagram.withUnsafeBytes { Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            == datagram.count
    }

    /// The native format: `KEY=value\n`, or for a value with a newline
    /// `KEY\n`, its length as 64-bit little-endian, the value, `\n`.
    static func encode(priority: Int, message: String, fields: [String: String]) -> [UInt8] {
        var datagram: [UInt8] = []
        func append(_ key: String, _ value: String) {
            datagram += Array(key.utf8)
            let bytes = Array(value.utf8)
            if bytes.contains(0x0A) {
                datagram.append(0x0A)
                withUnsafeBytes(of: UInt64(bytes.count).littleEndian) { datagram += $0 }
                datagram += bytes
            } else {
                datagram.append(UInt8(ascii: "="))
                datagram += bytes
            }
            datagram.append(0x0A)
        }
        append("MESSAGE", message)
        append("PRIORITY", String(priority))
        append("SYSLOG_IDENTIFIER", "mizand")
        for key in fields.keys.sorted() where isValidFieldName(key) {
            append(key, fields[key] ?? "")
        }
        return datagram
    }

    /// journald's rule: uppercase letters, digits and underscores, not
    /// starting with an underscore (those are trusted fields).
    static func isValidFieldName(_ name: String) -> Bool {
        guard let first = name.first, first != "_", !first.isNumber, name.count <= 64 else { return false }
        return name.allSatisfy { $0.isASCII && ($0.isUppercase || $0.isNumber || $0 == "_") }
    }
}
