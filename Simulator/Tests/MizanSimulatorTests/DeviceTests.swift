import Foundation
import Synchronization
import Testing
@testable import MizanCore
@testable import MizanHardware
@testable import MizanSimulator

/// The simulator's devices, read by the real drivers over pseudo-terminals.
@Suite("Simulated devices through the real drivers", .serialized)
struct DeviceTests {
    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.path + "/mizan-sim-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    func weights(_ events: [ScaleDriverEvent]) -> [Int64] {
        events.compactMap { if case let .reading(.weight(mass, _, _), _) = $0 { mass.value } else { nil } }
    }

    @Test func aContinuousIndicatorIsReadByTheSerialScaleDriver() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let device = try PseudoTerminalDevice(stablePath: directory + "/scale")
        var parameters = LoadCellModel.Parameters()
        parameters.noise = 0
        parameters.driftPerHour = 0
        parameters.creepThousandths = 0
        var model = LoadCellModel(parameters: parameters, seed: 1, at: .origin)
        model.place(milligrams: 1_250_000, at: .seconds(-1))  // already resting when sampling starts
        let scale = SimulatedScaleDevice(device: device, dialect: .continuous(linesPerSecond: 10), start: .origin)
        let driver = SerialScale(
            configuration: SerialScaleConfiguration(
                serial: SerialConfiguration(path: device.stablePath), dialect: .continuous))
        try driver.connect()
        scale.pump(until: .seconds(1), model: &model)
        var got: [Int64] = []
        for _ in 0..<20 where got.count < 11 { got += weights(driver.step(timeout: .milliseconds(50))) }
        #expect(got.count == 11)
        #expect(Set(got) == [1_250_000])
    }

    @Test func anMTSICSBalanceAnswersTheDriversPolls() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let device = try PseudoTerminalDevice(stablePath: directory + "/balance")
        var parameters = LoadCellModel.Parameters()
        parameters.noise = 0
        var model = LoadCellModel(parameters: parameters, seed: 1, at: .origin)
        model.place(milligrams: 730_000, at: .origin)
        let balance = SimulatedScaleDevice(device: device, dialect: .mtSICS, start: .origin)
        let driver = SerialScale(
            configuration: SerialScaleConfiguration(
                serial: SerialConfiguration(path: device.stablePath), dialect: .mtSICS(pollInterval: .milliseconds(50))
            ))
        try driver.connect()
        var got: [Int64] = []
        for _ in 0..<100 where got.count < 3 {
            got += weights(driver.step(timeout: .milliseconds(10)))
            balance.pump(until: .seconds(1), model: &model)
        }
        #expect(got.count >= 3)
        #expect(Set(got) == [730_000])
    }

    @Test func theCardReaderDeviceTapsOnceAndSurvivesNoise() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let device = try PseudoTerminalDevice(stablePath: directory + "/rfid")
        let reader = SimulatedCardReaderDevice(device: device, seed: 3)
        reader.field.corruptionThousandths = 200
        let clock = SimulationClock()
        let driver = EM4100CardReader(serial: SerialConfiguration(path: device.stablePath)) { clock.now }
        try driver.connect()
        let card = CardUID("62E3086CED")!
        reader.field.present(card, at: .origin)
        var taps: [CardUID] = []
        for step in 1...30 {
            clock.set(.milliseconds(Int64(step) * 100))
            reader.pump(until: clock.now)
            for event in driver.step(timeout: .milliseconds(30)) {
                if case let .tap(uid, _) = event { taps.append(uid) }
            }
        }
        #expect(taps == [card])
        #expect(driver.badChecksums > 0)
    }

    @Test func pullingAndReplugginTheScaleCable() throws {
        let directory = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let device = try PseudoTerminalDevice(stablePath: directory + "/scale")
        var model = LoadCellModel(seed: 1, at: .origin)
        let scale = SimulatedScaleDevice(device: device, dialect: .continuous(linesPerSecond: 10), start: .origin)
        let driver = SerialScale(
            configuration: SerialScaleConfiguration(
                serial: SerialConfiguration(path: device.stablePath), dialect: .continuous))
        try driver.connect()
        device.unplug()
        var events: [ScaleDriverEvent] = []
        for _ in 0..<10 { events += driver.step(timeout: .milliseconds(20)) }
        #expect(events.contains { if case .disconnected = $0 { true } else { false } })
        try device.plugIn()
        events = []
        for _ in 0..<50 where !events.contains(.reconnected) { events += driver.step(timeout: .milliseconds(20)) }
        #expect(events.contains(.reconnected))
        scale.pump(until: .seconds(1), model: &model)
        var got: [Int64] = []
        for _ in 0..<20 where got.isEmpty { got += weights(driver.step(timeout: .milliseconds(50))) }
        #expect(!got.isEmpty)
    }

    @Test func theLoadCellModelIsFaithful() {
        var parameters = LoadCellModel.Parameters()
        parameters.noise = 0
        parameters.creepThousandths = 0
        parameters.driftPerHour = 3_600_000  // 1 g per second, to see it
        var model = LoadCellModel(parameters: parameters, seed: 1, at: .origin)
        #expect(model.sample(at: .seconds(2)).value == 2_000)
        model.place(milligrams: 1_000_000, at: .seconds(10))
        // Half-way through the 250 ms placement ramp.
        #expect(model.sample(at: .seconds(10.125)).value == 500_000 + 10_125)
        #expect(model.sample(at: .seconds(11)).value == 1_000_000 + 11_000)
        model.vibrate(peak: 50_000, for: .seconds(1), at: .seconds(20))
        let shaken = (0..<40).map { model.sample(at: .seconds(20) + .milliseconds(Int64($0) * 10)).value - 1_020_000 }
        #expect(shaken.contains { abs($0) > 10_000 })
        #expect(model.sample(at: .seconds(22)).value == 1_000_000 + 22_000)
    }

    @Test func aClosingLidBounces() {
        var lid = LidModel(bin: "glass", bounces: 2)
        #expect(lid.open(at: .seconds(1)).map(\.open) == [true])
        let edges = lid.close(at: .seconds(5))
        #expect(edges.map(\.open) == [false, true, false, true, false])
        #expect(edges.last!.at - edges.first!.at < .milliseconds(5))
    }
}

/// A clock the test moves by hand.
final class SimulationClock: Sendable {
    private let nanoseconds = Atomic<Int64>(0)
    var now: Instant { Instant(nanoseconds: nanoseconds.load(ordering: .relaxed)) }
    func set(_ instant: Instant) { nanoseconds.store(instant.nanoseconds, ordering: .relaxed) }
}
