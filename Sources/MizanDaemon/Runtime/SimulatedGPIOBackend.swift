import Foundation
import Glibc
import Synchronization
import MizanControl
import MizanCore
public import MizanHardware

/// The GPIO backend for the simulator: the simulator listens on a Unix
/// socket in the state directory; the daemon connects and receives input
/// edges as JSON lines (`{"line":"LID_PLASTIC","level":true,"t_ns":…}`, the
/// time on CLOCK_MONOTONIC, which both processes share) and sends every
/// output change back (`{"line":"LED_GREEN","level":true,"t_ns":…}`).
public final class SimulatedGPIOBackend: Sendable {
    public let socketPath: String
    private let descriptor = Mutex<Int32>(-1)
    private let inputs: Mutex<[String: SimulatedInput]>

    public init(socketPath: String) {
        self.socketPath = socketPath
        inputs = Mutex([:])
    }

    /// Connects to the simulator; throws with errno when it is not there.
    public func connect() throws(GPIOError) {
        let socket: Int32
        do {
            socket = try UnixSocket.connect(to: socketPath)
        } catch {
            throw GPIOError(line: socketPath, operation: "connecting to the simulator's GPIO socket", errno: error.errno)
        }
        descriptor.withLock { $0 = socket }
    }

    /// An input line fed by the simulator.
    public func input(_ address: GPIOLineAddress) -> SimulatedInput {
        inputs.withLock { inputs in
            if let existing = inputs[Self.name(address)] { return existing }
            // Idle level high: a reed switch to ground with a pull-up, lid closed.
            let line = SimulatedInput(address, level: true)
            inputs[Self.name(address)] = line
            return line
        }
    }

    /// An output line whose changes are reported to the simulator.
    public func output(_ address: GPIOLineAddress) -> any DigitalOutput {
        ReportingOutput(address: address, backend: self)
    }

    /// Reads what the simulator sent (blocking up to `timeout`) and drives
    /// the input lines. Returns false when the simulator went away.
    public func pump(timeout: Duration) -> Bool {
        let socket = descriptor.withLock { $0 }
        guard socket >= 0 else { return false }
        var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
        guard poll(&poller, 1, Int32(timeout.milliseconds)) > 0 else { return true }
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = buffer.withUnsafeMutableBytes { read(socket, $0.baseAddress, $0.count) }
        guard count > 0 else { return false }
        pending.withLock { $0 += buffer[0..<count] }
        while let line = nextLine() {
            guard let data = line.data(using: .utf8),
                  let message = try? JSONDecoder().decode(LineMessage.self, from: data)
            else { continue }
            input(.name(message.line)).drive(message.level, at: Instant(nanoseconds: message.nanoseconds))
        }
        return true
    }

    private let pending = Mutex<[UInt8]>([])

    private func nextLine() -> String? {
        pending.withLock { bytes in
            guard let end = bytes.firstIndex(of: 0x0A) else { return nil }
            let line = String(decoding: bytes[..<end], as: UTF8.self)
            bytes.removeSubrange(...end)
            return line
        }
    }

    func send(_ message: LineMessage) {
        guard let data = try? JSONEncoder().encode(message) else { return }
        let socket = descriptor.withLock { $0 }
        guard socket >= 0 else { return }
        UnixSocket.send(Array(data) + [0x0A], on: socket)
    }

    static func name(_ address: GPIOLineAddress) -> String {
        switch address {
        case let .name(name): name
        case let .chipOffset(chip, offset): "\(chip):\(offset)"
        }
    }

    struct LineMessage: Codable {
        let line: String
        let level: Bool
        let nanoseconds: Int64

        enum CodingKeys: String, CodingKey {
            case line, level, nanoseconds = "t_ns"
        }
    }

    private final class ReportingOutput: DigitalOutput {
        let address: GPIOLineAddress
        let backend: SimulatedGPIOBackend

        init(address: GPIOLineAddress, backend: SimulatedGPIOBackend) {
            self.address = address
            self.backend = backend
        }

        func set(_ level: Bool) throws(GPIOError) {
            backend.send(LineMessage(line: SimulatedGPIOBackend.name(address), level: level, nanoseconds: MonotonicClock.now().nanoseconds))
        }
    }
}
