import Foundation
import Glibc
public import MizanControl
public import MizanCore
import MizanDaemon
import MizanHardware
public import MizanLedger
import Synchronization
import MizanPOSIX

/// The real `mizand` as a child process, on a fresh state directory, wired
/// to simulated devices: a serial scale and an RDM6300 on pseudo-terminals,
/// lids and lights on the simulated GPIO socket. Time is real: the physical
/// model is pumped every 20 ms by a thread of its own.
public final class LiveKiosk: @unchecked Sendable {
    public let stateDirectory: String
    public let daemonPath: String
    public let scaleDevice: PseudoTerminalDevice
    public let cardDevice: PseudoTerminalDevice
    private let gpioServer: Locked<GPIOSimulatorServer>
    /// The simulator's GPIO socket (lids, lights, the HX711's conversions).
    public var gpio: GPIOSimulatorServer { gpioServer.value }
    private let model: Guarded<(loadCell: LoadCellModel, card: CardFieldModel, hx711: SimulatedHX711Source?)>
    private let scale: SimulatedScaleDevice
    private let running = Atomic<Bool>(true)
    private var process: Process?
    private let logBuffer = LogBuffer()
    /// The web process (`mizan-web`), while one runs.
    private var web: Process?
    private let webLogBuffer = LogBuffer()
    private let start = MonotonicClock.now()

    public var configurationPath: String { stateDirectory + "/mizan.yaml" }
    /// The kiosk's id (`kiosk: id:`), its deposits' and sessions' prefix.
    public let kioskID: String
    /// The household screen's port (mizan-web, 127.0.0.1): a free one,
    /// unless the extra configuration has a `screen:` section of its own.
    public let screenPort = LoopbackPort.free()
    public var ledgerPath: String { stateDirectory + "/ledger.sqlite" }

    /// Bounces of a closing lid's contact.
    public var lidBounces = 2

    /// Where the daemon finds its lids and lights.
    public enum Lines: String, Sendable {
        /// The simulator's GPIO socket: `open`, `close` and `gpio` drive and record them.
        case simulated
        /// Real kernel lines through libgpiod, found by name (LID_PLASTIC,
        /// LED_GREEN, …): the caller drives them, e.g. on gpio-sim chips.
        case libgpiod
    }

    /// How the platform is weighed.
    public enum Scale: Sendable {
        /// A weighing indicator sending continuous lines on a pty.
        case serial
        /// An HX711 on the simulated GPIO backend, read by the daemon's own
        /// bit-banging driver (`calibration` is what its configuration says).
        case hx711
    }

    /// The HX711's calibration in the configuration: 50 counts per gram.
    public static let hx711EmptyCounts: Int64 = 80_000
    public static let hx711LoadedCounts: Int64 = 330_000
    public static let hx711ReferenceGrams: Int64 = 5_000

    public init(
        daemonPath: String,
        extraConfiguration: String = "",
        kiosk: KioskConfiguration? = nil,
        noise: Int64 = 1_500,
        cardCorruptionThousandths: Int64 = 0,
        scaleLinesPerSecond: Int = 20,
        stateDirectory: String? = nil,
        lines: Lines = .simulated,
        cardReader: String? = nil,
        scale scaleKind: Scale = .serial,
        kioskID: String = "sim-live"
    ) throws {
        self.daemonPath = daemonPath
        self.kioskID = kioskID
        self.stateDirectory =
            stateDirectory ?? FileManager.default.temporaryDirectory.path + "/mizan-live-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: self.stateDirectory + "/dev", withIntermediateDirectories: true)
        scaleDevice = try PseudoTerminalDevice(stablePath: self.stateDirectory + "/dev/scale")
        cardDevice = try PseudoTerminalDevice(stablePath: self.stateDirectory + "/dev/rfid")
        gpioServer = Locked(try GPIOSimulatorServer(path: self.stateDirectory + "/gpio.sock"))
        var parameters = LoadCellModel.Parameters()
        parameters.noise = noise
        var field = CardFieldModel(seed: 11)
        field.corruptionThousandths = cardCorruptionThousandths
        let hx711 =
            scaleKind == .hx711
            ? SimulatedHX711Source(
                dataLine: "HX711_DOUT", emptyCounts: Self.hx711EmptyCounts, loadedCounts: Self.hx711LoadedCounts,
                referenceGrams: Self.hx711ReferenceGrams, start: MonotonicClock.now()
            ) : nil
        model = Guarded((LoadCellModel(parameters: parameters, seed: 7, at: MonotonicClock.now()), field, hx711))
        scale = SimulatedScaleDevice(
            device: scaleDevice, dialect: .continuous(linesPerSecond: scaleLinesPerSecond), start: MonotonicClock.now())
        let rules = kiosk.map(Self.rules) ?? ""
        try configuration(
            extra: rules + extraConfiguration, kiosk: kiosk, lines: lines, cardReader: cardReader, scale: scaleKind
        )
        .write(toFile: configurationPath, atomically: true, encoding: .utf8)
        let thread = Thread { [weak self] in
            while let kiosk = self, kiosk.running.load(ordering: .relaxed) {
                kiosk.pumpOnce()
                usleep(5_000)
            }
        }
        thread.name = "mizan-sim-pump"
        thread.start()
    }

    /// Stops the world: the pump, the daemon (killed if still running), the
    /// GPIO socket, the devices; removes the state directory.
    public func shutdown() {
        guard running.exchange(false, ordering: .acquiringAndReleasing) else { return }
        for child in [process, web].compactMap(\.self) where child.isRunning {
            kill(child.processIdentifier, SIGKILL)
            child.waitUntilExit()
        }
        gpio.stop()
        scaleDevice.unplug()
        cardDevice.unplug()
        try? FileManager.default.removeItem(atPath: stateDirectory)
    }

    deinit {
        shutdown()
    }

    /// - Parameter cardReader: the `card_reader` section as a YAML flow
    ///   mapping; nil for the RDM6300 on the simulator's pty.
    private func configuration(
        extra: String, kiosk: KioskConfiguration?, lines: Lines, cardReader: String?, scale: Scale
    ) -> String {
        let driver =
            switch scale {
            case .serial:
                """
                  driver: serial
                  serial: {device: \(stateDirectory)/dev/scale, protocol: continuous}
                """
            case .hx711:
                """
                  driver: hx711
                  hx711: {data: "name:HX711_DOUT", clock: "name:HX711_SCK", samples_per_second: 80}
                  calibration: {empty_counts: \(Self.hx711EmptyCounts), loaded_counts: \(Self.hx711LoadedCounts), reference_g: \(Self.hx711ReferenceGrams)}
                """
            }
        return """
            kiosk: {id: \(kioskID), time_zone: Asia/Hebron}
            gpio: {backend: \(lines.rawValue)}
            scale:
            \(driver)
              division_g: \(kiosk?.weighing.divisionGrams ?? 10)
              max_g: \(kiosk?.weighing.capacityGrams ?? 60000)
              stability_window_ms: \(kiosk?.weighing.stabilityWindow.milliseconds ?? 500)
              sensor_silence_timeout_ms: \(kiosk?.weighing.sensorSilenceTimeout.milliseconds ?? 2000)
            bins:
              - {id: plastic, line: "name:LID_PLASTIC"}
              - {id: metal, line: "name:LID_METAL"}
              - {id: paper, line: "name:LID_PAPER"}
              - {id: glass, line: "name:LID_GLASS"}
              - {id: organic, line: "name:LID_ORGANIC"}
            card_reader: \(cardReader ?? "{driver: rdm6300, device: \(stateDirectory)/dev/rfid}")
            outputs: {green: "name:LED_GREEN", red: "name:LED_RED", buzzer: "name:BUZZER"}
            paths: {state_dir: \(stateDirectory), control_socket: \(stateDirectory)/control.sock}
            \(extra.contains("screen:") ? "" : "screen: {port: \(screenPort)}")
            \(extra)
            """
    }

    /// The kiosk rules of a configuration, as the daemon's YAML sections.
    static func rules(_ kiosk: KioskConfiguration) -> String {
        var text = """
            deposit: {minimum_e: \(kiosk.minimumDepositDivisions), maximum_g: \(kiosk.maximumDepositGrams), settle_timeout_ms: \(kiosk.settleTimeout.milliseconds)}
            session: {idle_timeout_ms: \(kiosk.sessionIdleTimeout.milliseconds)}
            lids: {stuck_timeout_ms: \(kiosk.lidStuckTimeout.milliseconds)}

            """
        var caps: [String] = []
        if let credit = kiosk.caps.creditMinorUnits { caps.append("daily_credit: \(credit)") }
        if let grams = kiosk.caps.grams { caps.append("daily_grams: \(grams)") }
        if !caps.isEmpty { text += "caps: {\(caps.joined(separator: ", "))}\n" }
        return text
    }

    /// One household with its card and a first price table (version 1, in
    /// force from the epoch), registered before the daemon starts: how most
    /// live runs begin.
    public func prepareLedger(household card: CardUID, name: String, rates: [MaterialID: Int64], actor: String) throws {
        try prepareLedger { ledger in
            let setUp = LedgerClockReading(
                wall: WallClockTime(millisecondsSinceEpoch: 1_700_000_000_000), synchronized: true)
            try ledger.registerHousehold(card: card, name: name, actor: actor, at: setUp)
            try ledger.publishPrices(
                PriceTable(version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: rates),
                actor: actor, at: setUp
            )
        }
    }

    /// Registers households and prices before the daemon starts.
    public func prepareLedger(_ body: (Ledger) throws -> Void) throws {
        let ledger = try Ledger.open(path: ledgerPath, kioskID: kioskID)
        try body(ledger)
        try ledger.checkpoint()
    }

    /// Starts `mizand`. With `journalSocket`, the daemon is told (as systemd
    /// tells it) that its stderr is the journal's stream, and sends its
    /// entries to that socket.
    public func startDaemon(environment: [String: String] = [:], journalSocket: String? = nil) throws {
        var extra = environment
        extra["JOURNAL_STREAM"] = ""
        process = try Self.spawn(daemonPath, configurationPath, environment: extra, into: logBuffer) {
            pipe, environment in
            guard let journalSocket else { return }
            var info = stat()
            fstat(pipe.fileHandleForWriting.fileDescriptor, &info)
            environment["JOURNAL_STREAM"] = "\(info.st_dev):\(info.st_ino)"
            environment["MIZAN_JOURNAL_SOCKET"] = journalSocket
        }
    }

    /// The web process beside the daemon: `mizan-web` from the daemon's
    /// build directory, on the same configuration (its `http:` section).
    public func startWeb() throws {
        let path = (daemonPath as NSString).deletingLastPathComponent + "/mizan-web"
        web = try Self.spawn(path, configurationPath, environment: [:], into: webLogBuffer) { _, _ in }
    }

    /// What the web process wrote so far.
    public var webLog: String { webLogBuffer.text }

    /// The web process's id while it runs.
    public var webPID: Int32? { web?.processIdentifier }

    /// Waits until the web process's log contains `text`.
    @discardableResult
    public func waitForWebLog(_ text: String, timeout: Duration = .seconds(15)) -> Bool {
        Self.poll(until: timeout) { webLog.contains(text) }
    }

    /// Checks `condition` every 20 ms until it holds (true) or `timeout`
    /// passes (false): for what another process takes its own time to notice.
    public static func poll(until timeout: Duration, _ condition: () -> Bool) -> Bool {
        let deadline = MonotonicClock.now() + timeout
        while MonotonicClock.now() < deadline {
            if condition() { return true }
            usleep(20_000)
        }
        return false
    }

    /// Stops the web process (SIGTERM), returning its exit status.
    @discardableResult
    public func stopWeb(signal number: Int32 = 15) -> Int32 {
        defer { web = nil }
        return Self.stop(web, signal: number)
    }

    /// Signals `child` and waits for it; its exit status (-1 if none runs).
    private static func stop(_ child: Process?, signal number: Int32) -> Int32 {
        guard let child else { return -1 }
        kill(child.processIdentifier, number)
        child.waitUntilExit()
        return child.terminationStatus
    }

    /// Starts `executable --config CONFIGURATION` with its output collected
    /// into `buffer` by a thread of its own (an empty environment value
    /// removes the variable).
    private static func spawn(
        _ executable: String, _ configuration: String, environment: [String: String], into buffer: LogBuffer,
        adjust: (Pipe, inout [String: String]) -> Void
    ) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = ["--config", configuration]
        var inherited = ProcessInfo.processInfo.environment
        for (key, value) in environment { inherited[key] = value.isEmpty ? nil : value }
        // A new pipe per start: the last one closed with its process.
        let pipe = Pipe()
        adjust(pipe, &inherited)
        process.environment = inherited
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let reader = pipe.fileHandleForReading
        let thread = Thread { [buffer] in
            while true {
                let data = reader.availableData
                if data.isEmpty { break }
                buffer.append(data)
            }
        }
        thread.name = "mizan-sim-child-log"
        thread.start()
        return process
    }

    public var log: String { logBuffer.text }

    /// The daemon's process id while it runs.
    public var daemonPID: Int32? { process?.processIdentifier }

    /// How many times the daemon's log holds `text` so far (to wait for the
    /// next one after an action).
    public func logCount(_ text: String) -> Int {
        log.components(separatedBy: text).count - 1
    }

    /// Waits until the daemon's log contains `text` (or `timeout` passes).
    @discardableResult
    public func waitForLog(_ text: String, occurrences: Int = 1, timeout: Duration = .seconds(10)) -> Bool {
        Self.poll(until: timeout) { logCount(text) >= occurrences }
    }

    public func signalDaemon(_ number: Int32) {
        if let process { kill(process.processIdentifier, number) }
    }

    /// Sends SIGTERM (or SIGKILL) and waits for the process to end; returns its status.
    @discardableResult
    public func stopDaemon(signal number: Int32 = 15) -> Int32 {
        defer { process = nil }
        return Self.stop(process, signal: number)
    }

    // MARK: A technician

    public var controlSocket: String { stateDirectory + "/control.sock" }

    /// Sends a command to the daemon's control socket.
    @discardableResult
    public func control(_ command: String) throws -> ControlResponse {
        try ControlClient.send(command, to: controlSocket)
    }

    /// The daemon's status now.
    public func status() throws -> KioskStatusReport {
        let response = try control("status")
        guard let status = response.status else {
            throw ControlClient.Failure(description: response.error ?? "no status in the answer")
        }
        return status
    }

    /// Service mode, the bins emptied, service mode ended.
    public func emptyBins() throws {
        try control("service_begin")
        wait(seconds: 1)
        model.withLock { $0.loadCell.empty(at: MonotonicClock.now()) }
        wait(seconds: 2)
        try control("service_end")
        wait(seconds: 2)
    }

    /// The simulator's GPIO socket goes away (the simulator crashed); the
    /// daemon's lines answer ENODEV until `restartGPIO()`.
    public func stopGPIO() {
        gpio.stop()
    }

    /// A new GPIO socket at the same path, as a restarted simulator opens it.
    public func restartGPIO() throws {
        gpio.stop()
        gpioServer.set(try GPIOSimulatorServer(path: stateDirectory + "/gpio.sock"))
    }

    // MARK: The physical world

    /// Sleeps the whole time: a signal (a child process ending) cuts a
    /// `usleep` short, so sleep again until the deadline.
    public func wait(seconds: Double) {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1_000))
        while true {
            let left = deadline - ContinuousClock.now
            guard left > .zero else { return }
            let microseconds = left.components.seconds * 1_000_000 + left.components.attoseconds / 1_000_000_000_000
            usleep(useconds_t(max(1, microseconds)))
        }
    }

    public func tap(_ card: CardUID) {
        model.withLock { $0.card.present(card, at: MonotonicClock.now()) }
        wait(seconds: 0.6)
        model.withLock { $0.card.remove() }
    }

    public func open(_ bin: String) {
        gpio.drive("LID_\(bin.uppercased())", level: false)
    }

    public func close(_ bin: String, slam: Bool = false) {
        // The reed switch bounces as the lid lands.
        let line = "LID_\(bin.uppercased())"
        gpio.drive(line, level: true)
        for _ in 0..<lidBounces {
            usleep(700)
            gpio.drive(line, level: false)
            usleep(700)
            gpio.drive(line, level: true)
        }
        if slam { vibrate(peakGrams: 40, for: .milliseconds(800)) }
    }

    public func vibrate(peakGrams: Int64, for duration: Duration) {
        model.withLock { $0.loadCell.vibrate(peak: peakGrams * 1000, for: duration, at: MonotonicClock.now()) }
    }

    public func drop(grams: Int64) {
        model.withLock { $0.loadCell.place(milligrams: grams * 1000, at: MonotonicClock.now()) }
    }

    /// Everything taken off the platform (bins emptied, a load removed).
    public func emptyPlatform() {
        model.withLock { $0.loadCell.empty(at: MonotonicClock.now()) }
    }

    public func deposit(_ grams: Int64, into bin: String, slam: Bool = false) {
        open(bin)
        wait(seconds: 0.6)
        drop(grams: grams)
        wait(seconds: 0.8)
        close(bin, slam: slam)
        wait(seconds: 2.5)
    }

    private func pumpOnce() {
        let now = MonotonicClock.now()
        model.withLock { state in
            if var hx711 = state.hx711 {
                hx711.pump(until: now, model: &state.loadCell, to: gpio)
                state.hx711 = hx711
            } else {
                scale.pump(until: now, model: &state.loadCell)
            }
            cardDevice.send(state.card.frames(until: now))
        }
    }
}

/// The daemon's output, collected as it comes.
final class LogBuffer: Sendable {
    private let bytes = Guarded<[UInt8]>([])

    func append(_ data: Data) {
        bytes.withLock { $0 += data }
    }

    var text: String { bytes.withLock { String(decoding: $0, as: UTF8.self) } }
}
