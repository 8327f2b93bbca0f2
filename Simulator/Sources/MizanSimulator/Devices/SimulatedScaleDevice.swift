import Foundation
public import MizanCore

/// A weighing indicator on a pseudo-terminal, fed by the load-cell model:
/// either streaming A&D/CAS lines at its own rate, or answering MT-SICS
/// `SI`/`S` polls. It flags its own stability (ST/US, S/D) from its last
/// readings, as real indicators do; the daemon applies its own rule anyway.
public final class SimulatedScaleDevice {
    public enum Dialect: Sendable {
        case continuous(linesPerSecond: Int)
        case mtSICS
    }

    public let device: PseudoTerminalDevice
    public let dialect: Dialect
    /// The indicator's display resolution, mg (1 g by default).
    public var resolution: Int64 = 1_000
    /// The indicator's own overload limit, mg.
    public var overloadAbove: Int64 = 60_090_000
    private var nextLineAt: Instant
    private var recent: [Int64] = []
    private var commandBuffer: [UInt8] = []

    public init(device: PseudoTerminalDevice, dialect: Dialect, start: Instant) {
        self.device = device
        self.dialect = dialect
        nextLineAt = start
    }

    /// Sends what the indicator would have sent up to `time`.
    public func pump(until time: Instant, model: inout LoadCellModel) {
        switch dialect {
        case let .continuous(linesPerSecond):
            let interval = Duration.nanoseconds(1_000_000_000 / Int64(max(1, linesPerSecond)))
            while nextLineAt <= time {
                device.send(Array(continuousLine(model.sample(at: nextLineAt)).utf8))
                nextLineAt = nextLineAt + interval
            }
        case .mtSICS:
            commandBuffer += device.receive()
            while let end = commandBuffer.firstIndex(of: 0x0A) {
                let command = String(decoding: commandBuffer[..<end], as: UTF8.self).trimmingCharacters(in: ["\r", " "])
                commandBuffer.removeSubrange(...end)
                device.send(Array(sicsReply(to: command, mass: model.sample(at: time)).utf8))
            }
        }
    }

    func displayed(_ mass: Milligrams) -> Int64 {
        let step = resolution
        let magnitude = (mass.value.magnitude + UInt64(step / 2)) / UInt64(step) * UInt64(step)
        return mass.value < 0 ? -Int64(magnitude) : Int64(magnitude)
    }

    private func indicatorStable(_ value: Int64) -> Bool {
        recent.append(value)
        if recent.count > 5 { recent.removeFirst() }
        return recent.count == 5 && (recent.max()! - recent.min()!) <= resolution
    }

    func continuousLine(_ mass: Milligrams) -> String {
        let value = displayed(mass)
        guard value <= overloadAbove else { return "OL,GS,+9999.999kg\r\n" }
        let stable = indicatorStable(value)
        let sign = value < 0 ? "-" : "+"
        let kilograms = value.magnitude / 1_000_000
        let grams = value.magnitude % 1_000_000 / 1_000
        return "\(stable ? "ST" : "US"),GS,\(sign)\(String(kilograms).padded(4)).\(String(grams).padded(3))kg\r\n"
    }

    func sicsReply(to command: String, mass: Milligrams) -> String {
        guard command == "SI" || command == "S" else { return "ES\r\n" }
        let value = displayed(mass)
        if value > overloadAbove { return "S +\r\n" }
        if value < -overloadAbove { return "S -\r\n" }
        let stable = indicatorStable(value)
        let sign = value < 0 ? "-" : ""
        let kilograms = value.magnitude / 1_000_000
        let grams = value.magnitude % 1_000_000 / 1_000
        let number = "\(sign)\(kilograms).\(String(grams).padded(3))"
        return "S \(stable ? "S" : "D") \(String(repeating: " ", count: max(0, 10 - number.count)))\(number) kg\r\n"
    }
}

/// An RDM6300 card reader on a pseudo-terminal.
public final class SimulatedCardReaderDevice {
    public let device: PseudoTerminalDevice
    public var field: CardFieldModel

    public init(device: PseudoTerminalDevice, seed: UInt64) {
        self.device = device
        field = CardFieldModel(seed: seed)
    }

    public func pump(until time: Instant) {
        device.send(field.frames(until: time))
    }
}

extension String {
    func padded(_ width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
