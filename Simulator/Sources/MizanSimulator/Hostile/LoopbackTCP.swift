import Foundation
import Glibc
import MizanCore
import MizanHardware

/// A raw TCP connection to a port on 127.0.0.1, for clients that do what
/// no polite HTTP library would: drip headers, send too much, never close.
public final class LoopbackTCP: @unchecked Sendable {
    public let descriptor: Int32

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(port: Int) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket: \(String(cString: strerror(errno)))") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard result == 0 else {
            let message = String(cString: strerror(errno))
            close(descriptor)
            throw Failure(description: "connecting to 127.0.0.1:\(port): \(message)")
        }
        _ = fcntl(descriptor, F_SETFL, fcntl(descriptor, F_GETFL) | O_NONBLOCK)
    }

    deinit {
        close(descriptor)
    }

    /// Sends what the socket takes now; returns how many bytes went.
    @discardableResult
    public func send(_ bytes: [UInt8]) -> Int {
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { break }
            sent += count
        }
        return sent
    }

    @discardableResult
    public func send(_ text: String) -> Int { send(Array(text.utf8)) }

    public enum Reading: Equatable {
        /// Bytes arrived (possibly the whole response).
        case data([UInt8])
        /// The service closed its side (EOF, or a reset).
        case closed
        /// Nothing within the time given.
        case nothing
    }

    /// Waits up to `timeout` for bytes or the end.
    public func receive(timeout: Duration) -> Reading {
        var descriptor = pollfd(fd: self.descriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&descriptor, 1, Int32(timeout.milliseconds)) > 0 else { return .nothing }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let count = read(self.descriptor, &buffer, buffer.count)
        if count > 0 { return .data(Array(buffer[0..<count])) }
        if count < 0, errno == EAGAIN { return .nothing }
        return .closed
    }

    /// Reads until the service closes its side or `timeout` passes; true
    /// when it closed.
    public func waitForClose(timeout: Duration) -> Bool {
        let deadline = MonotonicClock.now() + timeout
        while MonotonicClock.now() < deadline {
            switch receive(timeout: .milliseconds(max(1, (deadline - MonotonicClock.now()).milliseconds))) {
            case .closed: return true
            case .data, .nothing: continue
            }
        }
        return false
    }

    /// One request on a fresh connection; everything answered until the
    /// service closes (or 5 s pass).
    public static func exchange(port: Int, _ request: String) throws -> String {
        let connection = try LoopbackTCP(port: port)
        connection.send(request)
        var answer: [UInt8] = []
        let deadline = MonotonicClock.now() + .seconds(5)
        while MonotonicClock.now() < deadline {
            guard case let .data(bytes) = connection.receive(timeout: .milliseconds(200)) else {
                if case .closed = connection.receive(timeout: .milliseconds(1)) { break }
                continue
            }
            answer += bytes
        }
        return String(decoding: answer, as: UTF8.self)
    }

    /// The addresses listening on TCP `port` on this machine, from
    /// /proc/net/tcp and tcp6 (`127.0.0.1`, `0.0.0.0`, or `IPv6` for any v6 socket).
    public static func listeners(port: Int) throws -> [String] {
        var addresses: [String] = []
        for (file, version) in [("/proc/net/tcp", 4), ("/proc/net/tcp6", 6)] {
            guard let table = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            for row in table.split(separator: "\n").dropFirst() {
                let columns = row.split(separator: " ")
                guard columns.count > 3, columns[3] == "0A" else { continue }
                let local = columns[1].split(separator: ":")
                guard local.count == 2, Int(local[1], radix: 16) == port else { continue }
                guard version == 4, let raw = UInt32(local[0], radix: 16) else {
                    addresses.append("IPv6")
                    continue
                }
                addresses.append((0..<4).map { String((raw >> (8 * $0)) & 0xFF) }.joined(separator: "."))
            }
        }
        return addresses
    }

    /// How many descriptors process `pid` holds open now.
    public static func openDescriptors(of pid: Int32) -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/\(pid)/fd").count) ?? -1
    }
}
