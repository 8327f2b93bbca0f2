import Foundation
import Glibc
import MizanCore
import MizanHardware
import MizanPOSIX
import Synchronization

/// The benchmark's floor: `mizan-floor-reader` (poll + read per line, in C)
/// on a pty of its own, fed the same indicator stream at the same rate as
/// the daemon's, so both are measured under the same machine's weather.
final class FloorReader: Sendable {
    let pid: Int32
    private let process: Process
    private let device: PseudoTerminalDevice
    private let directory: String
    private let running = Atomic<Bool>(true)

    struct Failure: Error, CustomStringConvertible {
        let description: String
    }

    init(executable: String, linesPerSecond: Int) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw Failure(description: "\(executable) is not built (swift build -c release builds it)")
        }
        directory = FileManager.default.temporaryDirectory.path + "/mizan-floor-\(getpid())"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        device = try PseudoTerminalDevice(stablePath: directory + "/scale")
        let scale = SimulatedScaleDevice(
            device: device, dialect: .continuous(linesPerSecond: linesPerSecond), start: MonotonicClock.now())
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = [device.stablePath]
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        pid = process.processIdentifier
        let model = Guarded((LoadCellModel(seed: 7, at: MonotonicClock.now()), scale))
        let thread = Thread { [self] in
            // The same pace as the live kiosk's pump.
            while self.running.load(ordering: .relaxed) {
                model.withLock { state in state.1.pump(until: MonotonicClock.now(), model: &state.0) }
                usleep(5_000)
            }
        }
        thread.name = "mizan-sim-floor-pump"
        thread.start()
    }

    func stop() {
        guard running.exchange(false, ordering: .relaxed) else { return }
        if process.isRunning {
            process.terminate()
            process.waitUntilExit()
        }
        device.unplug()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
