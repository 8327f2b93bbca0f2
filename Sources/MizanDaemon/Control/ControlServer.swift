import Foundation
import Glibc
import MizanHardware
import Synchronization

/// The control socket: one JSON object per line each way. A request is
/// `{"command": "status"}`; the reply is `{"ok": "true", …}` or
/// `{"ok": "false", "error": "…"}`. Streams (`watch`, `events`) send one
/// object per line until the client hangs up.
///
/// Each client gets a thread of its own, so a technician's `watch` never
/// holds up another's `status`; at most `maximumClients` at once.
public final class ControlServer: Sendable {
    /// What the daemon answers: one object, or a stream fed through `send`
    /// until it returns false (the client is gone or the server stops).
    public enum Response: Sendable {
        case reply([String: String])
        case stream(@Sendable (_ send: ([String: String]) -> Bool) -> Void)
    }

    public let path: String
    public static let maximumClients = 8
    private let listener: Int32
    private let running = Atomic<Bool>(true)
    private let clients = Atomic<Int>(0)
    private let policy: ControlPolicy
    /// Answers an authorised peer's request, on that client's thread.
    private let handler: @Sendable (ControlCommand, ControlRequest, PeerCredentials) -> Response

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(
        path: String, policy: ControlPolicy,
        handler: @escaping @Sendable (ControlCommand, ControlRequest, PeerCredentials) -> Response
    ) throws {
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
        startThread(name: "mizan-control") { [weak self] in self?.acceptClients() }
    }

    public var isRunning: Bool { running.load(ordering: .relaxed) }

    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        unlink(path)
    }

    private func acceptClients() {
        while running.load(ordering: .relaxed) {
            let client = accept(listener, nil, nil)
            guard client >= 0 else {
                if !running.load(ordering: .relaxed) { return }
                continue
            }
            guard clients.add(1, ordering: .relaxed).newValue <= Self.maximumClients else {
                clients.subtract(1, ordering: .relaxed)
                send(["ok": "false", "error": "too many control clients (\(Self.maximumClients)); try again"], on: client)
                close(client)
                continue
            }
            startThread(name: "mizan-client") { [self] in
                serve(client)
                close(client)
                clients.subtract(1, ordering: .relaxed)
            }
        }
    }

    private func serve(_ client: Int32) {
        var timeout = timeval(tv_sec: 2, tv_usec: 0)
        setsockopt(client, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !pending.contains(0x0A), pending.count < 4096 {
            let count = buffer.withUnsafeMutableBytes { read(client, $0.baseAddress, $0.count) }
            if count <= 0 { break }
            pending += buffer[0..<count]
        }
        let line = Data(pending.prefix { $0 != 0x0A })
        guard let peer = PeerCredentials.of(socket: client) else {
            send(["ok": "false", "error": "cannot read the peer's credentials"], on: client)
            return
        }
        switch respond(to: line, from: peer) {
        case let .reply(reply):
            send(reply, on: client)
        case let .stream(produce):
            produce { [self] object in isRunning && send(object, on: client) }
        }
    }

    func respond(to line: Data, from peer: PeerCredentials) -> Response {
        guard let request = try? JSONDecoder().decode(ControlRequest.self, from: line) else {
            return .reply(["ok": "false", "error": "a request is one JSON object per line, e.g. {\"command\":\"status\"}"])
        }
        guard let command = ControlCommand(rawValue: request.command) else {
            let known = ControlCommand.allCases.map(\.rawValue).joined(separator: ", ")
            return .reply(["ok": "false", "error": "unknown command \"\(request.command)\"; known: \(known)"])
        }
        if command.isAction, !policy.mayAct(peer) {
            return .reply(["ok": "false", "error": "\(peer.actor) may not \(command.rawValue): technicians' group required"])
        }
        if !command.isAction, !policy.mayRead(peer) {
            return .reply(["ok": "false", "error": "\(peer.actor) may not read the kiosk's status: group mizan required"])
        }
        return handler(command, request, peer)
    }

    @discardableResult
    private func send(_ object: [String: String], on client: Int32) -> Bool {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let data = (try? encoder.encode(object)) ?? Data("{\"ok\":\"false\"}".utf8)
        return UnixSocket.send(Array(data) + [0x0A], on: client)
    }
}
