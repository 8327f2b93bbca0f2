import Foundation
import Glibc
import MizanHardware

/// Talks to the daemon's control socket: one request, then one reply or a
/// stream of them.
public enum ControlClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Sends `command` with no arguments and returns the reply.
    public static func send(_ command: String, to path: String, timeout: Duration = .seconds(3)) throws -> [String: String] {
        guard let known = ControlCommand(rawValue: command) else {
            throw Failure(description: "unknown command \(command)")
        }
        return try send(ControlRequest(known), to: path, timeout: timeout)
    }

    public static func send(_ request: ControlRequest, to path: String, timeout: Duration = .seconds(3)) throws -> [String: String] {
        var reply: [String: String]?
        try stream(request, to: path, timeout: timeout) { object in
            reply = object
            return false
        }
        guard let reply else { throw Failure(description: "no answer from \(path) within \(timeout.milliseconds) ms") }
        return reply
    }

    /// Sends `request` and hands each object that comes back to `each`
    /// until it returns false, the daemon hangs up, or nothing arrives for
    /// `timeout`.
    public static func stream(
        _ request: ControlRequest, to path: String, timeout: Duration = .seconds(3),
        each: ([String: String]) throws -> Bool
    ) throws {
        let socket = try connect(to: path)
        defer { close(socket) }
        var limit = timeval(tv_sec: Int(timeout.milliseconds / 1000), tv_usec: Int(timeout.milliseconds % 1000) * 1000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        let encoded = (try? JSONEncoder().encode(request)) ?? Data()
        guard UnixSocket.send(Array(encoded) + [0x0A], on: socket) else {
            throw Failure(description: "sending to \(path): \(String(cString: strerror(errno)))")
        }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            while let end = pending.firstIndex(of: 0x0A) {
                let line = Data(pending[..<end])
                pending.removeSubrange(...end)
                guard let object = try? JSONDecoder().decode([String: String].self, from: line) else {
                    throw Failure(description: "an answer from \(path) that is not a JSON object: \(String(decoding: line, as: UTF8.self))")
                }
                if try !each(object) { return }
            }
            let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
            if count <= 0 { return }
            pending += buffer[0..<count]
        }
    }

    private static func connect(to path: String) throws -> Int32 {
        do {
            return try UnixSocket.connect(to: path)
        } catch {
            let hint = error.errno == ENOENT || error.errno == ECONNREFUSED
                ? " — is mizand running?" : (error.errno == EACCES ? " — are you in the mizan group?" : "")
            throw Failure(description: "cannot connect to \(path): \(String(cString: strerror(error.errno)))\(hint)")
        }
    }
}
