import Foundation
import MizanControl
import Glibc
import MizanPOSIX
import MizanCore
import MizanHardware
import Synchronization

/// The simulator's side of the daemon's "simulated" GPIO backend: a Unix
/// socket the daemon connects to. The simulator drives input lines (lids,
/// Wiegand) and records every output change the daemon makes (LEDs,
/// buzzer), with CLOCK_MONOTONIC times both processes share.
public final class GPIOSimulatorServer: Sendable {
    public struct Change: Hashable, Sendable, Codable {
        public let line: String
        public let level: Bool
        public let nanoseconds: Int64

        enum CodingKeys: String, CodingKey {
            case line, level, nanoseconds = "t_ns"
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public let path: String
    private let listener: Int32
    private let client = Guarded<Int32>(-1)
    private let changes = Guarded<[Change]>([])
    private let running = Atomic<Bool>(true)

    public init(path: String) throws {
        self.path = path
        do {
            listener = try UnixSocket.bind(at: path, backlog: 4)
        } catch {
            throw Failure(description: "\(error)")
        }
        let thread = Thread { [weak self] in self?.acceptAndRead() }
        thread.name = "mizan-sim-gpio"
        thread.start()
    }

    deinit {
        stop()
    }

    /// Stops listening and closes the connection. Safe to call twice: the
    /// descriptors are closed once only (a second close could hit a number
    /// already reused by someone else).
    public func stop() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        close(listener)
        client.withLock { descriptor in
            // shutdown first: a close alone leaves the reading thread
            // blocked and the daemon's end open.
            if descriptor >= 0 {
                shutdown(descriptor, Int32(SHUT_RDWR))
                close(descriptor)
            }
            descriptor = -1
        }
        unlink(path)
    }

    public var isConnected: Bool { client.withLock { $0 >= 0 } }

    /// Drives an input line the daemon reads.
    public func drive(_ line: String, level: Bool) {
        let change = Change(line: line, level: level, nanoseconds: MonotonicClock.now().nanoseconds)
        guard let data = try? JSONEncoder().encode(change) else { return }
        let descriptor = client.withLock { $0 }
        guard descriptor >= 0 else { return }
        UnixSocket.send(Array(data) + [0x0A], on: descriptor)
    }

    /// An HX711's next conversion, for the daemon to clock out of DOUT.
    public func convert(_ dataLine: String, code: Int32) {
        guard let data = try? JSONEncoder().encode(Conversion(line: dataLine, code: code)) else { return }
        let descriptor = client.withLock { $0 }
        guard descriptor >= 0 else { return }
        UnixSocket.send(Array(data) + [0x0A], on: descriptor)
    }

    struct Conversion: Codable {
        let line: String
        let code: Int32
    }

    /// Every output change the daemon made, in order.
    public var outputChanges: [Change] { changes.withLock { $0 } }

    private func acceptAndRead() {
        while running.load(ordering: .relaxed) {
            let descriptor = accept(listener, nil, nil)
            guard descriptor >= 0 else {
                if !running.load(ordering: .relaxed) { return }
                usleep(10_000)
                continue
            }
            client.withLock { old in
                if old >= 0 { close(old) }
                old = descriptor
            }
            var pending: [UInt8] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while running.load(ordering: .relaxed) {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count <= 0 { break }
                pending += buffer[0..<count]
                while let end = pending.firstIndex(of: 0x0A) {
                    if let change = try? JSONDecoder().decode(Change.self, from: Data(pending[..<end])) {
                        changes.withLock { $0.append(change) }
                    }
                    pending.removeSubrange(...end)
                }
            }
            client.withLock { current in
                if current == descriptor {
                    close(descriptor)
                    current = -1
                }
            }
        }
    }
}
