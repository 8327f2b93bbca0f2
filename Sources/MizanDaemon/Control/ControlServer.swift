import Foundation
import MizanKiosk
import Glibc
public import MizanControl
import MizanPOSIX
import MizanCore
import MizanHardware
import Synchronization

/// The control socket: one JSON object per line each way. A request is
/// `{"command": "status"}`; the reply a `ControlResponse`:
/// `{"ok": true, …}` or `{"ok": false, "error": "…"}`. Streams (`watch`, `events`) send one
/// object per line until the client hangs up.
///
/// Each client gets a thread of its own, so a technician's `watch` never
/// holds up another's `status`; at most `maximumClients` at once.
public final class ControlServer: Sendable {
    /// What the daemon answers: one object, or a stream fed through `send`
    /// until it returns false (the client is gone or the server stops).
    public enum Response: Sendable {
        case reply(ControlResponse)
        case stream(@Sendable (_ send: (ControlResponse) -> Bool) -> Void)
    }

    public let path: String
    /// Clients of the `mizan` group at once; technicians (and root) have
    /// `reservedForTechnicians` more, so a few readers never lock them out.
    public static let maximumClients = 8
    public static let reservedForTechnicians = 4
    /// A request line must arrive whole within this, however it is dripped.
    public static let requestDeadline: Duration = .seconds(2)
    /// A reply or stream line that cannot be sent within this drops the
    /// client: a watcher that never reads holds no thread for long.
    public static let sendTimeoutSeconds = 2
    /// A stream client with this much unread is dropped: about ten seconds
    /// of `watch`. The kernel counts each message's buffer overhead (some
    /// 700 bytes) with its bytes, so the `events` stream's first burst (the
    /// last 20 events, each with its journal fields) must fit well within.
    public static let maximumUnsentBytes: Int32 = 64 * 1024
    private let listener: Int32
    private let running = Atomic<Bool>(true)
    private let clients = Atomic<Int>(0)
    private let policy: ControlPolicy
    /// Answers an authorised peer's request, on that client's thread.
    private let handler: @Sendable (ControlCommand, ControlRequest, PeerCredentials) -> Response
    /// Told of every refused request (who, what, why), for the journal and
    /// the audit log.
    private let onRefusal: @Sendable (PeerCredentials?, String, String) -> Void

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public init(
        path: String, policy: ControlPolicy,
        onRefusal: @escaping @Sendable (PeerCredentials?, String, String) -> Void = { _, _, _ in },
        handler: @escaping @Sendable (ControlCommand, ControlRequest, PeerCredentials) -> Response
    ) throws {
        self.path = path
        self.policy = policy
        self.handler = handler
        self.onRefusal = onRefusal
        try? FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let socket: Int32
        do {
            socket = try UnixSocket.bind(at: path, backlog: 32)
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
                if errno == EMFILE || errno == ENFILE { usleep(100_000) }
                continue
            }
            _ = fcntl(client, F_SETFD, FD_CLOEXEC)
            var timeout = timeval(tv_sec: Self.sendTimeoutSeconds, tv_usec: 0)
            setsockopt(client, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
            // Who it is, before reading a byte: a stranger holds no slot.
            guard let peer = PeerCredentials.of(socket: client) else {
                send(.failure("cannot read the peer's credentials"), on: client)
                close(client)
                continue
            }
            guard policy.mayRead(peer) else {
                refuse(
                    peer, "connect", "\(peer.actor) may not use the control socket: group mizan required", on: client)
                close(client)
                continue
            }
            let limit = Self.maximumClients + (policy.mayAct(peer) ? Self.reservedForTechnicians : 0)
            guard clients.add(1, ordering: .relaxed).newValue <= limit else {
                clients.subtract(1, ordering: .relaxed)
                refuse(peer, "connect", "too many control clients (\(Self.maximumClients)); try again", on: client)
                close(client)
                continue
            }
            startThread(name: "mizan-client") { [self] in
                serve(client, peer)
                close(client)
                clients.subtract(1, ordering: .relaxed)
            }
        }
    }

    private func serve(_ client: Int32, _ peer: PeerCredentials) {
        guard let line = readRequestLine(client) else {
            refuse(peer, "request", "no whole request line within \(Self.requestDeadline.milliseconds) ms", on: client)
            return
        }
        switch respond(to: line, from: peer) {
        case let .reply(reply):
            send(reply, on: client)
        case let .stream(produce):
            var stalled = false
            produce { [self] object in
                guard isRunning else { return false }
                // A client this far behind is not reading: drop it before
                // the socket's buffer fills and the send blocks.
                if unsentBytes(client) > Self.maximumUnsentBytes {
                    stalled = true
                    return false
                }
                if send(object, on: client) { return true }
                stalled = errno == EAGAIN || errno == EWOULDBLOCK
                return false
            }
            guard stalled else { return }
            daemonLog.log(
                .warning, "control socket: dropped \(peer.actor): it stopped reading its stream",
                [
                    "MIZAN_EVENT": "control_dropped", "MIZAN_ACTOR": peer.actor,
                ])
        }
    }

    /// The first line, if it arrives whole within the deadline (a client
    /// dripping a byte at a time gets no longer than a fast one).
    private func readRequestLine(_ client: Int32) -> Data? {
        let deadline = MonotonicClock.now() + Self.requestDeadline
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 1024)
        while !pending.contains(0x0A) {
            let left = (deadline - MonotonicClock.now()).milliseconds
            guard left > 0, pending.count < 4096 else { return nil }
            var descriptor = pollfd(fd: client, events: Int16(POLLIN), revents: 0)
            guard retryingEINTR({ poll(&descriptor, 1, Int32(left)) }) > 0 else { return nil }
            let count = UnixSocket.read(client, into: &buffer)
            guard count > 0 else { break }
            pending += buffer[0..<count]
        }
        guard let end = pending.firstIndex(of: 0x0A) else { return pending.isEmpty ? nil : Data(pending) }
        return Data(pending[..<end])
    }

    private func refuse(_ peer: PeerCredentials?, _ what: String, _ why: String, on client: Int32) {
        onRefusal(peer, what, why)
        send(.failure(why), on: client)
    }

    func respond(to line: Data, from peer: PeerCredentials) -> Response {
        let command: ControlCommand
        let request: ControlRequest
        do {
            (command, request) = try ControlRequest.parse(line: line)
        } catch {
            return refusal(peer, "request", error.description)
        }
        if command.isAction, !policy.mayAct(peer) {
            return refusal(
                peer, command.rawValue, "\(peer.actor) may not \(command.rawValue): technicians' group required")
        }
        if !command.isAction, !policy.mayRead(peer) {
            return refusal(
                peer, command.rawValue, "\(peer.actor) may not read the kiosk's status: group mizan required")
        }
        return handler(command, request, peer)
    }

    private func refusal(_ peer: PeerCredentials, _ what: String, _ why: String) -> Response {
        onRefusal(peer, what, why)
        return .reply(.failure(why))
    }

    private func unsentBytes(_ client: Int32) -> Int32 {
        var count: Int32 = 0
        return ioctl(client, UInt(TIOCOUTQ), &count) == 0 ? count : 0
    }

    @discardableResult
    private func send(_ response: ControlResponse, on client: Int32) -> Bool {
        UnixSocket.send(response.encoded(), on: client)
    }
}
