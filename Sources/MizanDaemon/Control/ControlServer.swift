import Foundation
import Glibc
import MizanHardware
import Synchronization

/// The control socket: one JSON object per line each way. A request is
/// `{"command": "status"}`; the reply is `{"ok": true, …}` or
/// `{"ok": false, "error": "…"}`.
///
/// Commands: `status` (read), `service_begin`, `service_end`, `test_outputs`
/// (actions, audited with the peer's uid).
public final class ControlServer: Sendable {
    public enum Command: String, Sendable, CaseIterable {
        case status
        case serviceBegin = "service_begin"
        case serviceEnd = "service_end"
        case testOutputs = "test_outputs"

        var isAction: Bool { self != .status }
    }

    public struct Request: Codable, Sendable {
        public let command: String
    }

    public let path: String
    private let listener: Int32
    private let running = Atomic<Bool>(true)
    private let policy: ControlPolicy
    /// Answers a request from an authorised peer, on the server's thread.
    private let handler: @Sendable (Command, PeerCredentials) -> [String: String]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(path: String, policy: ControlPolicy, handler: @escaping @Sendable (Command, PeerCredentials) -> [String: String]) throws {
        self.path = path
        self.policy = policy
        self.handler = handler
        try? FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let socket: Int32
        do {
            socket = try UnixSocket.bind(at: path)
        } catch {
            throw Failure(description: "control socket: \(error)")
        }
        // Group members connect; the peer's credentials decide what they may do.
        chmod(path, 0o660)
        listener = socket
        let thread = Thread { [weak self] in self?.serve() }
        thread.name = "mizan-control"
        thread.start()
    }

    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }

    private func serve() {
        while running.load(ordering: .relaxed) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if !running.load(ordering: .relaxed) { return }
                continue
            }
            answer(client)
            close(client)
        }
    }

    private func answer(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !pending.contains(0x0A), pending.count < 4096 {
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            pending += buffer[0..<count]
        }
        let line = pending.prefix { $0 != 0x0A }
        let reply: [String: String]
        if let peer = PeerCredentials.of(socket: client) {
            reply = respond(to: Data(line), from: peer)
        } else {
            reply = ["ok": "false", "error": "cannot read the peer's credentials"]
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(reply)) ?? Data("{\"ok\":\"false\"}".utf8)
        UnixSocket.send(Array(data) + [0x0A], on: client)
    }

    func respond(to line: Data, from peer: PeerCredentials) -> [String: String] {
        guard let request = try? JSONDecoder().decode(Request.self, from: line) else {
            return ["ok": "false", "error": "a request is one JSON object per line, e.g. {\"command\":\"status\"}"]
        }
        guard let command = Command(rawValue: request.command) else {
            return ["ok": "false", "error": "unknown command \"\(request.command)\"; known: \(Command.allCases.map(\.rawValue).joined(separator: ", "))"]
        }
        if command.isAction, !policy.mayAct(peer) {
            return ["ok": "false", "error": "\(peer.actor) may not \(command.rawValue): technicians' group required"]
        }
        if !command.isAction, !policy.mayRead(peer) {
            return ["ok": "false", "error": "\(peer.actor) may not read the kiosk's status: group mizan required"]
        }
        return handler(command, peer)
    }
}
