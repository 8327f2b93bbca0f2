import Dispatch
import Foundation
import Synchronization
import CMizanSystem
import Glibc
import MizanCore
import MizanHardware
import MizanHTTP
public import MizanLedger

/// The running kiosk: device threads feed the input queue; this loop owns
/// the session logic and the ledger, carries out decisions (the green
/// light follows the commit), drives the outputs, and tells systemd it is
/// alive only while the scale thread is.
public final class KioskRuntime {
    public let configuration: DaemonConfiguration
    let ledger: Ledger
    let queue = InputQueue()
    let flags = RuntimeFlags()
    private let notifier = SystemdNotifier()
    let gpio: SimulatedGPIOBackend?
    var kiosk: KioskStateMachine
    var executor: DecisionExecutor!
    var signals: (green: SignalOutput, red: SignalOutput, buzzer: SignalOutput)?
    var presenceOfDay: LocalDay
    /// The UTC bounds [start, end) of `presenceOfDay`, in milliseconds.
    var presenceInterval: (start: Int64, end: Int64)
    var priceVersion: Int64?
    var lastWatchdogAt = Instant.origin
    let watchdogInterval: Duration?
    let statusSnapshot = StatusBox()
    /// The wall clock read once per turn of the loop: the local day a
    /// deposit is capped in and the time the ledger records it are the same.
    let turn = TurnClock()
    var lastStatusAt = Instant.origin
    var control: ControlServer?
    var cooperativeServer: CooperativeServer?
    let calibrationStore: CalibrationStore
    var calibration: Calibration?
    var lastCard: (card: CardUID, known: String, wall: WallClockTime)?
    var lastLedgerProbe = Instant.origin
    var lastLedgerFileCheck = Instant.origin
    /// Why the ledger cannot be written, while it cannot.
    var ledgerProblem: String?
    var recordedFaults: Set<KioskFault> = []
    /// When each lid last changed (wall ms); start-up for a lid that has not.
    var lidChangedAt: [BinID: Int64] = [:]
    let startedAt = SystemClock.reading().wall.millisecondsSinceEpoch
    /// Why the lights and buzzer could not be opened, if they could not.
    var outputsProblem: String?
    var lastOutputsAttempt = Instant.origin

    /// - Parameter initializeLedger: start a new ledger even where an empty
    ///   (0-byte) file stands (refused otherwise).
    public init(configuration: DaemonConfiguration, initializeLedger: Bool = false) throws(LedgerError) {
        self.configuration = configuration
        DaemonLog.setCommonFields(["MIZAN_KIOSK_ID": configuration.kiosk.kioskID])
        try? FileManager.default.createDirectory(atPath: configuration.paths.stateDirectory, withIntermediateDirectories: true)
        ledger = try Ledger.open(
            path: configuration.paths.ledger, kioskID: configuration.kiosk.kioskID,
            currency: configuration.kiosk.source.currency, materials: configuration.kiosk.source.materials,
            timeZone: configuration.timeZone, initializeEmptyFile: initializeLedger
        )
        let now = Self.wallClock()
        let interrupted = try ledger.closeInterruptedSessions(at: now)
        if !interrupted.isEmpty {
            DaemonLog.write(.warning, "closed sessions interrupted by a crash or power cut: \(interrupted.joined(separator: ", "))")
        }
        let sequences = try ledger.nextSequences()
        let prices = try ledger.priceSchedule().active(at: now.wall)
        priceVersion = prices?.version
        kiosk = KioskStateMachine(
            configuration: configuration.kiosk, nextDepositSequence: sequences.deposit,
            nextSessionSequence: sequences.session, prices: prices
        )
        presenceOfDay = ledger.calendar.day(of: now.wall)
        presenceInterval = ledger.calendar.interval(of: presenceOfDay)
        gpio = configuration.gpioBackend == .simulated
            ? SimulatedGPIOBackend(socketPath: configuration.paths.stateDirectory + "/gpio.sock") : nil
        calibrationStore = CalibrationStore(stateDirectory: configuration.paths.stateDirectory)
        watchdogInterval = SystemdNotifier.watchdogInterval(environment: ProcessInfo.processInfo.environment)
        executor = DecisionExecutor(
            ledger: ledger, configuration: configuration.kiosk, clock: { [turn] _ in turn.reading ?? Self.wallClock() },
            log: { _, text, fields in DaemonLog.write(.info, text, fields) }
        )
        executor.onScaleIdle = { [flags] idle in flags.scaleIdle.store(idle, ordering: .relaxed) }
        executor.monotonicNow = { MonotonicClock.now() }
        executor.onFeedback = { [unowned self] feedback, time in show(feedback, at: time) }
        // systemctl status says in plain words whether the kiosk credits.
        executor.onOutOfService = { [notifier] faults, _ in
            notifier.notify("STATUS=out of service: \(faults.map(\.description).joined(separator: ", "))")
        }
        executor.onBackInService = { [notifier] _ in notifier.notify("STATUS=in service, weighing") }
        if case let .hx711(_, configured) = configuration.scale {
            calibration = configured
            do {
                if let (stored, record) = try calibrationStore.load() {
                    calibration = stored
                    DaemonLog.write(.info, "scale: calibration from \(calibrationStore.path) (set by \(record.actor) at \(record.setAt)), not the configuration's")
                }
            } catch {
                DaemonLog.write(.error, "scale: \(error) — using the configuration's calibration")
            }
        }
    }

    static func wallClock() -> LedgerClockReading {
        SystemClock.reading()
    }

    /// Runs until SIGTERM or SIGINT; returns the process's exit status.
    public func run() -> Int32 {
        installSignalHandlers()
        setUpOutputs()
        startControlSocket()
        startCooperativeService()
        ScaleLoop(configuration: configuration, calibration: calibration, queue: queue, flags: flags).start()
        CardReaderLoop(configuration: configuration, queue: queue, flags: flags, gpio: gpio).start()
        LidLoop(configuration: configuration, queue: queue, flags: flags, gpio: gpio).start()
        flags.scaleHeartbeat.store(MonotonicClock.now().nanoseconds, ordering: .relaxed)
        notifier.notify("READY=1\nSTATUS=in service, weighing; ledger \(configuration.paths.ledger)")
        DaemonLog.write(.notice, "mizand ready: kiosk \(configuration.kiosk.kioskID), prices v\(priceVersion.map(String.init) ?? "none")", ["MIZAN_EVENT": "ready"])

        var stopping = false
        while !stopping {
            for input in queue.take(timeout: loopPeriod(at: MonotonicClock.now())) {
                if case .shutdown = input {
                    stopping = true
                    continue
                }
                beginTurn()
                handle(input)
            }
            let now = MonotonicClock.now()
            beginTurn()
            executor.handle(.tick(now), on: &kiosk, now: now)
            updateOutputs(at: now)
            retryOutputsIfLost(at: now)
            calendarChecks(at: now)
            checkLedgerFileInPlace(at: now)
            probeLedgerIfFaulted(at: now)
            recordFaultChanges()
            feedWatchdog(at: now)
            if now - lastStatusAt >= .milliseconds(250) {
                publishStatus(at: now)
                lastStatusAt = now
            }
        }

        notifier.notify("STOPPING=1\nSTATUS=shutting down")
        let now = MonotonicClock.now()
        executor.handle(.shutdown(at: now), on: &kiosk, now: now)
        flags.running.store(false, ordering: .relaxed)
        control?.stop()
        cooperativeServer?.stop()
        try? ledger.checkpoint()
        DaemonLog.write(.notice, "mizand stopped; nothing committed was lost")
        return 0
    }

    private func handle(_ input: DeviceInput) {
        let now = MonotonicClock.now()
        switch input {
        case let .weighing(event):
            executor.handle(.weighing(event), on: &kiosk, now: now)
        case let .cardTapped(card, at):
            do {
                let clock = turn.reading ?? Self.wallClock()
                let lookup = try ledger.lookup(card: card, at: clock)
                DaemonLog.write(.info, "card \(card) tapped", ["MIZAN_EVENT": "card", "MIZAN_CARD": card.description])
                lastCard = (card, Self.describe(lookup), clock.wall)
                executor.handle(.cardTapped(CardTap(card: card, lookup: lookup, at: at)), on: &kiosk, now: now)
            } catch {
                DaemonLog.write(.error, "looking up card \(card): \(error)")
                executor.handle(.faultRaised(.ledger, at: now), on: &kiosk, now: now)
            }
        case let .lid(bin, open, at):
            lidChangedAt[bin] = SystemClock.reading().wall.millisecondsSinceEpoch
            DaemonLog.write(.info, "lid \(bin) \(open ? "opened" : "closed")", ["MIZAN_EVENT": "lid", "MIZAN_BIN": bin.rawValue, "MIZAN_LID": open ? "open" : "closed"])
            executor.handle(open ? .lidOpened(bin, at: at) : .lidClosed(bin, at: at), on: &kiosk, now: now)
        case let .fault(fault, raised, at):
            executor.handle(raised ? .faultRaised(fault, at: at) : .faultCleared(fault, at: at), on: &kiosk, now: now)
        case .reload:
            reloadPrices(at: now)
        case let .control(command, request, actor, reply):
            perform(command, request, actor: actor, reply: reply, at: now)
        case let .calibrated(before, after, loadedCounts, reference, actor, reply):
            recordCalibration(before: before, after: after, loadedCounts: loadedCounts, reference: reference, actor: actor, reply: reply)
        case .shutdown:
            break
        }
    }

    private var lastCalendarCheck = Instant.origin

    /// Reads the wall clock for this turn; a new local day restarts the
    /// caps before anything of the turn is decided. (Checked once a second,
    /// a deposit just after midnight was recorded on the new day but capped
    /// by the old day's usage.)
    private func beginTurn() {
        let reading = Self.wallClock()
        turn.reading = reading
        // The day's bounds are kept: most turns are one comparison, not a
        // calendar computation (the loop turns for every scale reading).
        let wall = reading.wall.millisecondsSinceEpoch
        guard !(presenceInterval.start..<presenceInterval.end).contains(wall) else { return }
        let day = ledger.calendar.day(of: reading.wall)
        presenceInterval = ledger.calendar.interval(of: day)
        if day != presenceOfDay {
            presenceOfDay = day
            let now = MonotonicClock.now()
            executor.handle(.localDayChanged(day), on: &kiosk, now: now)
        }
    }

    /// Once a second: a price version whose time has come takes effect.
    private func calendarChecks(at now: Instant) {
        guard now - lastCalendarCheck >= .seconds(1) else { return }
        lastCalendarCheck = now
        // A new price version takes effect within a minute of its time.
        if now - lastPriceCheck >= .seconds(60) {
            lastPriceCheck = now
            reloadPrices(at: now, quietly: true)
        }
    }

    private var lastPriceCheck = Instant.origin

    func reloadPrices(at now: Instant, quietly: Bool = false) {
        guard let table = try? ledger.priceSchedule().active(at: Self.wallClock().wall) else { return }
        if table.version != priceVersion || !quietly {
            priceVersion = table.version
            executor.handle(.pricesChanged(table), on: &kiosk, now: now)
            DaemonLog.write(.notice, "prices: version \(table.version) in force")
        }
    }

    /// WATCHDOG=1 only while the scale thread keeps stepping: a wedged
    /// sampling loop gets the daemon restarted by systemd.
    private func feedWatchdog(at now: Instant) {
        guard let interval = watchdogInterval, now - lastWatchdogAt >= interval / 4 else { return }
        let heartbeat = Instant(nanoseconds: flags.scaleHeartbeat.load(ordering: .relaxed))
        guard now - heartbeat < interval / 2 else {
            DaemonLog.write(.error, "the scale loop has not stepped for \((now - heartbeat).milliseconds) ms: not feeding the watchdog")
            lastWatchdogAt = now
            return
        }
        notifier.notify("WATCHDOG=1")
        lastWatchdogAt = now
    }

    private var signalSources: [any DispatchSourceSignal] = []

    private func installSignalHandlers() {
        let queue = queue
        for (number, input) in [(SIGTERM, DeviceInput.shutdown), (SIGINT, .shutdown), (SIGHUP, .reload)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { queue.push(input) }
            source.resume()
            signalSources.append(source)
        }
        // Test hook: SIGUSR1 wedges the scale loop, to prove the watchdog stops.
        let flags = flags
        signal(SIGUSR1, SIG_IGN)
        let wedge = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        wedge.setEventHandler { flags.wedgeScaleLoop.store(true, ordering: .relaxed) }
        wedge.resume()
        signalSources.append(wedge)
    }
}

/// The wall-clock reading of the kiosk loop's current turn (only the loop
/// touches it).
final class TurnClock {
    var reading: LedgerClockReading?
}

/// The latest status, published by the kiosk loop, read by the control thread.
final class StatusBox: Sendable {
    private let storage = Mutex<[String: String]>(["ok": "true", "in_service": "starting"])

    var value: [String: String] { storage.withLock { $0 } }

    func set(_ value: [String: String]) {
        storage.withLock { $0 = value }
    }
}
