import Foundation
import Glibc
import Testing
@testable import MizanCore
@testable import MizanHardware

@Suite("Serial port over real pseudo-terminals", .serialized)
struct SerialPortTests {
    func readAll(_ port: SerialPort, until count: Int) throws -> [UInt8] {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        for _ in 0..<50 where received.count < count {
            let read = try port.read(into: &buffer, timeout: .milliseconds(100))
            received += buffer[0..<read]
        }
        return received
    }

    @Test func bytesArriveUntouchedInRawMode() throws {
        let terminal = try PseudoTerminal()
        let port = try SerialPort.open(SerialConfiguration(path: terminal.slavePath))
        let bytes: [UInt8] = Array("ST,GS,+0001.250kg\r\n".utf8) + [0x00, 0x03, 0x7F, 0x0D, 0x0A, 0x11, 0x13]
        terminal.send(bytes)
        #expect(try readAll(port, until: bytes.count) == bytes)
        #expect(try port.currentFraming().raw)
    }

    @Test func aReadWithNothingToReadTimesOut() throws {
        let terminal = try PseudoTerminal()
        let port = try SerialPort.open(SerialConfiguration(path: terminal.slavePath))
        var buffer = [UInt8](repeating: 0, count: 16)
        #expect(try port.read(into: &buffer, timeout: .milliseconds(50)) == 0)
    }

    @Test(arguments: [
        (7, SerialConfiguration.Parity.even, 1, "7E1"),
        (8, .none, 1, "8N1"),
        (8, .odd, 2, "8O2"),
        (7, .odd, 2, "7O2"),
    ])
    func theRequestedFramingIsWhatTheKernelIsAskedFor(
        dataBits: Int, parity: SerialConfiguration.Parity, stopBits: Int, expected: String
    ) throws {
        let configuration = SerialConfiguration(
            path: "/dev/ttyS0", baudRate: 2400, dataBits: dataBits, parity: parity, stopBits: stopBits)
        let framing = SerialPort.framing(
            of: SerialPort.terminalSettings(for: configuration, from: termios()), baudRate: 2400)
        #expect(framing.description == expected)
        #expect(framing.speedMatches)
        #expect(framing.raw)
        #expect(framing.stripsParityBit == (parity != .none))
        #expect(configuration.description == "/dev/ttyS0 2400 \(expected)")
    }

    /// A pty keeps no character size or parity (Linux forces 8N), but it
    /// does apply the input flags: with 7E1 the parity bit a device sends
    /// in bit 7 is stripped, and stop bits and speed are kept.
    @Test func sevenE1OnAPseudoTerminalStripsTheParityBit() throws {
        let terminal = try PseudoTerminal()
        let port = try SerialPort.open(
            SerialConfiguration(path: terminal.slavePath, baudRate: 2400, dataBits: 7, parity: .even, stopBits: 2))
        let framing = try port.currentFraming()
        #expect(framing.stripsParityBit)
        #expect(framing.stopBits == 2)
        #expect(framing.speedMatches)
        // "ST" with even parity in bit 7: 'S' = 0x53 (4 ones) stays, 'T' = 0x54 (3 ones) gets 0x80.
        terminal.send([0x53, 0xD4, 0x0D, 0x0A])
        #expect(try readAll(port, until: 4) == [0x53, 0x54, 0x0D, 0x0A])
    }

    @Test func writesReachTheDevice() throws {
        let terminal = try PseudoTerminal()
        let port = try SerialPort.open(SerialConfiguration(path: terminal.slavePath))
        try port.write(MTSICSParser.weighImmediately)
        #expect(terminal.receive() == Array("SI\r\n".utf8))
    }

    @Test func aPulledCableIsReportedAsADisconnection() throws {
        let terminal = try PseudoTerminal()
        let port = try SerialPort.open(SerialConfiguration(path: terminal.slavePath))
        terminal.closeMaster()
        var buffer = [UInt8](repeating: 0, count: 16)
        do {
            _ = try port.read(into: &buffer, timeout: .milliseconds(500))
            Issue.record("read after hang-up succeeded")
        } catch {
            #expect(error.kind == .disconnected)
            #expect(error.errno == EIO)
            #expect(error.description.contains(terminal.slavePath))
        }
    }

    @Test func aMissingDeviceIsAClearError() {
        do {
            _ = try SerialPort.open(SerialConfiguration(path: "/dev/serial/by-id/usb-no-such-scale"))
            Issue.record("opened a missing device")
        } catch {
            #expect(error.kind == .open)
            #expect(error.errno == ENOENT)
            #expect(error.description.contains("/dev/serial/by-id/usb-no-such-scale"))
            #expect(error.description.contains("No such file or directory"))
        }
    }

    /// Like a USB adapter under /dev/serial/by-id: the stable name is a
    /// symlink; the adapter is pulled and plugged back as a new tty.
    @Test func unplugAndReplugIsRecoveredWithoutANewDriver() throws {
        let directory = FileManager.default.temporaryDirectory.path + "/mizan-serial-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let stableName = directory + "/usb-scale-if00"
        var terminal = try PseudoTerminal()
        try FileManager.default.createSymbolicLink(atPath: stableName, withDestinationPath: terminal.slavePath)

        let link = ReconnectingSerialPort(
            configuration: SerialConfiguration(path: stableName), retryInterval: .milliseconds(20))
        try link.connect()
        terminal.send("ST,GS,+0001.000kg\r\n")
        var parser = ContinuousIndicatorParser()
        var readings: [IndicatorReading] = []
        for _ in 0..<20 where readings.isEmpty {
            if case let .data(bytes) = link.next(timeout: .milliseconds(100)) { readings += parser.feed(bytes) }
        }
        #expect(readings == [.weight(Milligrams(1_000_000), indicatorStable: true, net: false)])

        // Pulled.
        terminal.closeMaster()
        try FileManager.default.removeItem(atPath: stableName)
        var events: [ReconnectingSerialPort.Event] = []
        for _ in 0..<3 { events.append(link.next(timeout: .milliseconds(100))) }
        #expect(events.contains { if case .disconnected = $0 { true } else { false } })
        #expect(events.contains { if case .stillDisconnected = $0 { true } else { false } })
        #expect(!link.isConnected)
        #expect(link.disconnections == 1)

        // Plugged back: a new tty behind the same stable name.
        terminal = try PseudoTerminal()
        try FileManager.default.createSymbolicLink(atPath: stableName, withDestinationPath: terminal.slavePath)
        var reconnected = false
        for _ in 0..<10 where !reconnected {
            reconnected = link.next(timeout: .milliseconds(50)) == .reconnected
        }
        #expect(reconnected)
        terminal.send("ST,GS,+0002.500kg\r\n")
        readings = []
        for _ in 0..<20 where readings.isEmpty {
            if case let .data(bytes) = link.next(timeout: .milliseconds(100)) { readings += parser.feed(bytes) }
        }
        #expect(readings == [.weight(Milligrams(2_500_000), indicatorStable: true, net: false)])
    }

    @Test func configurationValidationNamesTheKey() {
        let bad = SerialConfiguration(path: "ttyUSB0", baudRate: 9601, dataBits: 6, parity: .none, stopBits: 3)
        #expect(
            bad.issues(keyPrefix: "scale.serial").map(\.key) == [
                "scale.serial.device", "scale.serial.baud", "scale.serial.data_bits", "scale.serial.stop_bits",
            ])
        #expect(SerialConfiguration(path: "/dev/ttyUSB0").issues(keyPrefix: "x").isEmpty)
    }
}
