import CMizanSystem
import Foundation
import Glibc
import MizanCore
import MizanPOSIX
import Synchronization

/// The GPIO backend for the simulator. The simulator listens on a Unix
/// socket in the state directory; this backend's thread (`mizan-gpio-sim`)
/// connects, reconnects whenever the simulator goes away, and turns what it
/// is sent into line events. The wire protocol (JSON lines, times on
/// CLOCK_MONOTONIC, which both processes share) is in Simulator/README.md:
///
/// - simulator → daemon: an input edge `{"line":"LID_PLASTIC","level":true,"t_ns":…}`,
///   or an HX711's next conversion `{"line":"HX711_DOUT","code":123456}`;
/// - daemon → simulator: every output change `{"line":"LED_GREEN","level":true,"t_ns":…}`.
///
/// Its lines keep the same contract as libgpiod's: inputs block in
/// `edges(timeout:)`, and while the simulator is away every line answers
/// ENODEV, as a kernel line does when its chip is gone.
public final class SimulatedGPIOBackend: GPIOBackend, Sendable {
    public let socketPath: String
    private let descriptor = Guarded<Int32>(-1)
    private let inputs = Guarded<[String: SimulatedInput]>([:])
    private let hx711Codes = Locked<[String: Int32]>([:])
    private let running = Atomic<Bool>(false)

    public init(socketPath: String) {
        self.socketPath = socketPath
    }

    /// Connects now if it can, then keeps the connection on a thread of its own.
    public func start() {
        guard !running.exchange(true, ordering: .relaxed) else { return }
        _ = connect()
        let thread = Thread { [self] in
            // The kernel's name too: the benchmark's figures are per thread.
            _ = mizan_set_thread_name("mizan-gpio-sim")
            follow()
        }
        thread.name = "mizan-gpio-sim"
        thread.start()
    }

    public func stop() {
        running.store(false, ordering: .relaxed)
        disconnect()
    }

    public var isConnected: Bool { descriptor.withLock { $0 >= 0 } }

    public func input(_ address: GPIOLineAddress, bias: GPIOBias, activeLow: Bool) throws(GPIOError) -> any DigitalInput
    {
        try requireConnection(address, "requesting")
        return inputs.withLock { inputs in
            if let existing = inputs[Self.name(address)] {
                existing.restore()
                return existing
            }
            // Idle level high: a reed switch to ground with a pull-up, lid closed.
            let line = SimulatedInput(address, level: true)
            inputs[Self.name(address)] = line
            return line
        }
    }

    public func output(_ address: GPIOLineAddress, activeLow: Bool) throws(GPIOError) -> any DigitalOutput {
        try requireConnection(address, "requesting")
        return ReportingOutput(address: address, backend: self)
    }

    /// A line-level HX711 in real time, whose conversions are the codes the
    /// simulator sends for its DOUT line (zero until the first).
    public func hx711(_ configuration: HX711Configuration) throws(GPIOError) -> any HX711Lines {
        try requireConnection(configuration.data, "requesting")
        let name = Self.name(configuration.data)
        return HX711Model(realTimeSamplesPerSecond: configuration.samplesPerSecond) { [hx711Codes] in
            hx711Codes.value[name] ?? 0
        }
    }

    private func requireConnection(_ address: GPIOLineAddress, _ operation: String) throws(GPIOError) {
        guard isConnected else {
            throw GPIOError(
                line: address.description,
                operation: "\(operation) it from the simulator (not connected to \(socketPath))", errno: ENODEV)
        }
    }

    // MARK: The connection

    private func connect() -> Bool {
        guard let socket = try? UnixSocket.connect(to: socketPath) else { return false }
        descriptor.withLock { $0 = socket }
        return true
    }

    private func disconnect() {
        descriptor.withLock { socket in
            if socket >= 0 { close(socket) }
            socket = -1
        }
        for line in inputs.withLock({ Array($0.values) }) { line.lose() }
    }

    private func follow() {
        var pending: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while running.load(ordering: .relaxed) {
            let socket = descriptor.withLock { $0 }
            guard socket >= 0 else {
                pending.removeAll()
                if !connect() { usleep(200_000) }
                continue
            }
            let count = UnixSocket.read(socket, into: &buffer)
            guard count > 0 else {
                disconnect()
                continue
            }
            pending += buffer[0..<count]
            while let end = pending.firstIndex(of: 0x0A) {
                if let message = try? JSONDecoder().decode(LineMessage.self, from: Data(pending[..<end])) {
                    deliver(message)
                }
                pending.removeSubrange(...end)
            }
        }
    }

    private func deliver(_ message: LineMessage) {
        if let code = message.code {
            hx711Codes.update { $0[message.line] = code }
        } else if let level = message.level {
            let line = inputs.withLock { inputs in
                if let existing = inputs[message.line] { return existing }
                let line = SimulatedInput(.name(message.line), level: true)
                inputs[message.line] = line
                return line
            }
            line.drive(level, at: Instant(nanoseconds: message.nanoseconds ?? MonotonicClock.now().nanoseconds))
        }
    }

    fileprivate func send(_ message: LineMessage) -> Bool {
        guard let data = try? JSONEncoder().encode(message) else { return false }
        let socket = descriptor.withLock { $0 }
        return socket >= 0 && UnixSocket.send(Array(data) + [0x0A], on: socket)
    }

    static func name(_ address: GPIOLineAddress) -> String {
        switch address {
        case let .name(name): name
        case let .chipOffset(chip, offset): "\(chip):\(offset)"
        }
    }

    struct LineMessage: Codable {
        let line: String
        var level: Bool?
        var nanoseconds: Int64?
        var code: Int32?

        enum CodingKeys: String, CodingKey {
            case line, level, code, nanoseconds = "t_ns"
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
            let message = LineMessage(
                line: SimulatedGPIOBackend.name(address), level: level, nanoseconds: MonotonicClock.now().nanoseconds)
            guard backend.send(message) else {
                throw GPIOError(
                    line: address.description, operation: "setting it (the simulator is gone)", errno: ENODEV)
            }
        }
    }
}
