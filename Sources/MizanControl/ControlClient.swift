import Foundation
import Glibc
import MizanPOSIX

/// Talks to the daemon's control socket: one request, then one reply or a
/// stream of them.
public enum ControlClient {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String

        public init(description: String) {
            self.description = description
        }
    }

    /// Sends `command` with no arguments and returns the reply.
    public static func send(
        _ command: String, to path: String, timeout: Duration = .seconds(3)
    ) throws -> ControlResponse {
        guard let known = ControlCommand(rawValue: command) else {
            throw Failure(description: "unknown command \(command)")
        }
        return try send(ControlRequest(known), to: path, timeout: timeout)
    }

    public static func send(
        _ request: ControlRequest, to path: String, timeout: Duration = .seconds(3)
    ) throws -> ControlResponse {
        var reply: ControlResponse?
        try stream(request, to: path, timeout: timeout) { object in
            reply = object
            return false
        }
        guard let reply else {
            throw Failure(description: "no answer from \(path) within \(UnixSocket.milliseconds(timeout)) ms")
        }
        return reply
    }

    /// Sends `request` and hands each object that comes back to `each`
    /// until it returns false, the daemon hangs up, or nothing arrives for
    /// `timeout`.
    public static func stream(
        _ request: ControlRequest, to path: String, timeout: Duration = .seconds(3),
        each: (ControlResponse) throws -> Bool
    ) throws {
        let socket = try connect(to: path)
        defer { close(socket) }
        UnixSocket.setReceiveTimeout(timeout, on: socket)
        let encoded = (try? JSONEncoder().encode(request)) ?? Data()
        // The daemon may refuse at connect (who we are is known then) and
        // hang up before the request is sent: its answer is still there to
        // read, and says more than "broken pipe".
        var sendFailure: String?
        if !UnixSocket.send(Array(encoded) + [0x0A], on: socket) {
            sendFailure = "sending to \(path): \(String(cString: strerror(errno)))"
        }
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            while let end = pending.firstIndex(of: 0x0A) {
                let line = Data(pending[..<end])
                pending.removeSubrange(...end)
                guard let object = try? ControlResponse.decode(line) else {
                    throw Failure(
                        description:
                            "an answer from \(path) that is not the control protocol: \(String(decoding: line.prefix(200), as: UTF8.self))"
                    )
                }
                if try !each(object) { return }
            }
            let count = UnixSocket.read(socket, into: &buffer)
            if count <= 0 {
                if let sendFailure { throw Failure(description: sendFailure) }
                return
            }
            pending += buffer[0..<count]
        }
    }

    private static func connect(to path: String) throws -> Int32 {
        do {
            return try UnixSocket.connect(to: path)
        } catch {
            let hint =
                error.errno == ENOENT || error.errno == ECONNREFUSED
                ? " — is mizand running?" : (error.errno == EACCES ? " — are you in the mizan group?" : "")
            throw Failure(description: "cannot connect to \(path): \(String(cString: strerror(error.errno)))\(hint)")
        }
    }
}
