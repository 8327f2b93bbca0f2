import Foundation
import Glibc
import MizanHardware

/// Talks to the daemon's control socket: one request, one reply.
public enum ControlClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func send(_ command: String, to path: String, timeout: Duration = .seconds(3)) throws -> [String: String] {
        let socket: Int32
        do {
            socket = try UnixSocket.connect(to: path)
        } catch {
            let hint = error.errno == ENOENT || error.errno == ECONNREFUSED
                ? " — is mizand running?" : (error.errno == EACCES ? " — are you in the mizan group?" : "")
            throw Failure(description: "cannot connect to \(path): \(String(cString: strerror(error.errno)))\(hint)")
        }
        defer { close(socket) }
        var seconds = timeval(tv_sec: Int(timeout.milliseconds / 1000), tv_usec: Int(timeout.milliseconds % 1000) * 1000)
        setsockopt(socket, SOL_SOCKET, SO_RCVTIMEO, &seconds, socklen_t(MemoryLayout<timeval>.size))
        UnixSocket.send(Array("{\"command\":\"\(command)\"}\n".utf8), on: socket)
        var reply: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !reply.contains(0x0A) {
            let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            reply += buffer[0..<count]
        }
        guard let object = try? JSONDecoder().decode([String: String].self, from: Data(reply.prefix { $0 != 0x0A })) else {
            throw Failure(description: "no answer from \(path)")
        }
        return object
    }
}
