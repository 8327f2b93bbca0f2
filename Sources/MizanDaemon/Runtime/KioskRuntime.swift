import Dispatch
import Foundation
import Synchronization
import CMizanSystem
import Glibc
import Logging
import MizanCore
import MizanHardware
import MizanControl
import MizanPOSIX
import MizanKiosk
public import MizanConfiguration
public import MizanLedger

/// The running kiosk: device threads feed the input queue; this loop owns
/// the session logic and the ledger, carries out decisions (the green
/// light follows the commit), drives the outputs, and tells systemd it is
/// alive only while the scale thread is.
public final class KioskRuntime {
    public let configuration: DaemonConfiguration
    let ledger: Ledger
    /// The kiosk's logic; only the kiosk loop touches it.
    let kiosk: KioskCoordinator
    let queue = InputQueue()
    let flags = RuntimeFlags()
    let notifier = SystemdNotifier()
    /// The kernel's lines, or the simulator's: nothing below asks which.
    let gpio: any GPIOBackend
    /// The green and red lights and the buzzer, while they can be driven.
    var lights: (green: SignalOutput, red: SignalOutput, buzzer: SignalOutput)?
    var lastWatchdogAt = Instant.origin
    let watchdogInterval: Duration?
    /// The latest status, published by the kiosk loop, read by control clients.
    let statusSnapshot = Locked<KioskStatusReport?>(nil)
    var lastStatusAt = Instant.origin
    var control: ControlServer?
    let calibrationStore: CalibrationStore
    var calibration: Calibration?
    let startedAt = SystemClock.reading().wall.millisecondsSinceEpoch
    /// Why the lights and buzzer could not be opened, if they could not.
    var outputsProblem: String?
    var lastOutputsAttempt = Instant.origin
    private var unixSignals: [any DispatchSourceSignal] = []

    /// - Parameter initializeLedger: start a new ledger even where an empty
    ///   (0-byte) file stands (refused otherwise).
    public init(configuration: DaemonConfiguration, initializeLedger: Bool = false) throws(LedgerError) {
        self.configuration = configuration
        DaemonLog.setCommonFields(["MIZAN_KIOSK_ID": configuration.kiosk.kioskID])
        try? FileManager.default.createDirectory(
            atPath: configuration.paths.stateDirectory, withIntermediateDirectories: true)
        ledger = try Ledger.open(
            path: configuration.paths.ledger, kioskID: configuration.kiosk.kioskID,
            currency: configuration.kiosk.source.currency, materials: configuration.kiosk.source.materials,
            timeZone: configuration.timeZone, initializeEmptyFile: initializeLedger
        )
        kiosk = try KioskCoordinator(
            configuration: configuration.kiosk, book: ledger, at: Self.moment(), logger: daemonLog
        )
        kiosk.measureCommitLatency { MonotonicClock.now() }
        switch configuration.gpioBackend {
        case .libgpiod:
            gpio = LibgpiodBackend(consumer: "mizand")
        case .simulated:
            let simulated = SimulatedGPIOBackend(socketPath: configuration.paths.stateDirectory + "/gpio.sock")
            simulated.start()
            if !simulated.isConnected {
                daemonLog.log(
                    .error,
                    "GPIO: the simulator's socket \(simulated.socketPath) does not answer; its lines are missing until it does"
                )
            }
            gpio = simulated
        }
        calibrationStore = CalibrationStore(stateDirectory: configuration.paths.stateDirectory)
        watchdogInterval = SystemdNotifier.watchdogInterval(environment: ProcessInfo.processInfo.environment)
        if case let .hx711(_, configured) = configuration.scale {
            calibration = configured
            do {
                if let (stored, record) = try calibrationStore.load() {
                    calibration = stored
                    daemonLog.log(
                        .info,
                        "scale: calibration from \(calibrationStore.path) (set by \(record.actor) at \(record.setAt)), not the configuration's"
                    )
                }
            } catch {
                daemonLog.log(.error, "scale: \(error) — using the configuration's calibration")
            }
        }
    }

    /// The clocks, read once for a turn of the kiosk loop.
    static func moment() -> KioskMoment {
        KioskMoment(monotonic: MonotonicClock.now(), clock: SystemClock.reading())
    }

    /// Runs until SIGTERM or SIGINT; returns the process's exit status.
    ///
    /// The order of start-up and shutdown, in one place. Before `run`
    /// (`mizand` and `init`): the configuration, the instance lock, the
    /// ledger (interrupted sessions closed), the coordinator, the GPIO
    /// backend. Then here: signals, lights, a first status, the control
    /// socket, the device threads, READY. At the end, the reverse: the
    /// session closed and committed, the device threads stopped and waited
    /// for, the control socket closed, the ledger checkpointed.
    ///
    /// Threads, not swift-service-lifecycle: the device loops block in
    /// read/poll on devices and the HX711 sampler runs SCHED_FIFO, which do
    /// not belong on Swift concurrency's cooperative pool that ServiceGroup
    /// runs services on; the order above is what a ServiceGroup would give.
    public func run() -> Int32 {
        installSignalHandlers()
        setUpOutputs()
        // A status from the first client on: nothing to answer "starting" with.
        publishStatus(at: MonotonicClock.now())
        startControlSocket()
        let deviceThreads = [
            ScaleLoop(configuration: configuration, calibration: calibration, queue: queue, flags: flags, gpio: gpio)
                .start(),
            CardReaderLoop(configuration: configuration, queue: queue, flags: flags, gpio: gpio).start(),
            LidLoop(configuration: configuration, queue: queue, flags: flags, gpio: gpio).start(),
        ]
        flags.scaleHeartbeat.store(MonotonicClock.now().nanoseconds, ordering: .relaxed)
        notifier.notify("READY=1\nSTATUS=in service, weighing; ledger \(configuration.paths.ledger)")
        daemonLog.log(
            .notice,
            "mizand ready: kiosk \(configuration.kiosk.kioskID), prices v\(kiosk.priceVersion.map(String.init) ?? "none")",
            ["MIZAN_EVENT": "ready"])

        runKioskLoop()

        notifier.notify("STOPPING=1\nSTATUS=shutting down")
        apply(kiosk.shutdown(at: Self.moment()))
        flags.running.store(false, ordering: .relaxed)
        for thread in deviceThreads where !thread.join(timeout: .seconds(3)) {
            daemonLog.log(.warning, "\(thread.name) did not stop within 3 s; leaving it")
        }
        control?.stop()
        try? ledger.checkpoint()
        daemonLog.log(.notice, "mizand stopped; nothing committed was lost")
        return 0
    }

    /// The kiosk loop: each input a turn, and between them the time-driven
    /// work, until SIGTERM or SIGINT. It sleeps until the next thing that
    /// is due (a timeout, the status, the watchdog), not in fixed steps.
    private func runKioskLoop() {
        var stopping = false
        while !stopping {
            let inputs = queue.take(timeout: loopWait(at: MonotonicClock.now()))
            for input in inputs {
                if case .shutdown = input {
                    stopping = true
                    continue
                }
                handle(input, at: Self.moment())
            }
            let moment = Self.moment()
            apply(kiosk.tick(at: moment))
            updateOutputs(at: moment.monotonic)
            retryOutputsIfLost(at: moment.monotonic)
            feedWatchdog(at: moment.monotonic)
            // At once after an input (a fault, a lid, a tap: what a watcher
            // must see now), else at the status's pace.
            if !inputs.isEmpty || moment.monotonic - lastStatusAt >= statusInterval {
                publishStatus(at: moment.monotonic)
                lastStatusAt = moment.monotonic
            }
        }
    }

    /// How long the loop may sleep: until the kiosk's next timeout or
    /// once-a-second ledger check, the next status, the watchdog's next
    /// feed, the outputs' next attempt, or a light pattern's next step.
    private func loopWait(at now: Instant) -> Duration {
        if outputsAnimating(at: now) { return .milliseconds(20) }
        var due = min(kiosk.nextTickDue(after: now), lastStatusAt + statusInterval)
        if let interval = watchdogInterval { due = min(due, lastWatchdogAt + interval / 4) }
        if lights == nil { due = min(due, lastOutputsAttempt + .seconds(2)) }
        // Never a busy loop, whatever a deadline says.
        return max(.milliseconds(2), due - now)
    }

    /// Four times a second while a household is at the kiosk (the screen
    /// and `mizanctl watch` follow the weight); once a second otherwise.
    private var statusInterval: Duration {
        let status = kiosk.status
        return status.session != nil || !status.openLids.isEmpty ? .milliseconds(250) : .seconds(1)
    }

    private func handle(_ input: DeviceInput, at moment: KioskMoment) {
        switch input {
        case let .weighing(event):
            apply(kiosk.weighing(event, at: moment))
        case let .cardTapped(card, at):
            apply(kiosk.cardTapped(card, tappedAt: at, at: moment))
        case let .lid(bin, open, at):
            apply(kiosk.lid(bin, open: open, changedAt: at, at: moment))
        case let .fault(fault, raised, _):
            apply(kiosk.fault(fault, raised: raised, at: moment))
        case .reload:
            apply(kiosk.reloadPrices(at: moment).effects)
        case let .control(command, request, actor, reply):
            perform(command, request, actor: actor, reply: reply, at: moment)
        case let .calibrated(before, after, loadedCounts, reference, actor, reply):
            recordCalibration(
                before: before, after: after, loadedCounts: loadedCounts, reference: reference, actor: actor,
                reply: reply)
        case .shutdown:
            break
        }
    }

    /// What the kiosk decided, carried out on the devices and systemd.
    func apply(_ effects: [KioskEffect]) {
        for effect in effects {
            switch effect {
            case let .feedback(feedback):
                show(feedback, at: MonotonicClock.now())
                let report = FeedbackReport(feedback)
                var fields = ["MIZAN_EVENT": "feedback", "MIZAN_FEEDBACK": report.outcome.rawValue]
                fields["MIZAN_DEPOSIT_ID"] = report.depositId
                fields["MIZAN_REASON"] = report.reason
                var metadata: Logger.Metadata = fields.mapValues { .string($0) }
                metadata[DaemonLogHandler.feedbackKey] = .stringConvertible(report)
                daemonLog.info("feedback: \(kiosk.describe(feedback))", metadata: metadata)
            case let .scaleIdle(idle):
                flags.scaleIdle.store(idle, ordering: .relaxed)
            case .reestablishZero:
                flags.reestablishZero.store(true, ordering: .relaxed)
            case let .outOfService(faults):
                // systemctl status says in plain words whether the kiosk credits.
                notifier.notify("STATUS=out of service: \(faults.map(\.description).joined(separator: ", "))")
            case .backInService:
                notifier.notify("STATUS=in service, weighing")
            case .sessionClosed:
                break
            }
        }
    }

    /// WATCHDOG=1 only while the scale thread keeps stepping: a wedged
    /// sampling loop gets the daemon restarted by systemd.
    private func feedWatchdog(at now: Instant) {
        guard let interval = watchdogInterval, now - lastWatchdogAt >= interval / 4 else { return }
        let heartbeat = Instant(nanoseconds: flags.scaleHeartbeat.load(ordering: .relaxed))
        guard now - heartbeat < interval / 2 else {
            daemonLog.log(
                .error,
                "the scale loop has not stepped for \((now - heartbeat).milliseconds) ms: not feeding the watchdog")
            lastWatchdogAt = now
            return
        }
        notifier.notify("WATCHDOG=1")
        lastWatchdogAt = now
    }

    private func installSignalHandlers() {
        let queue = queue
        for (number, input) in [(SIGTERM, DeviceInput.shutdown), (SIGINT, .shutdown), (SIGHUP, .reload)] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { queue.push(input) }
            source.resume()
            unixSignals.append(source)
        }
        // Test hook: SIGUSR1 wedges the scale loop, to prove the watchdog stops.
        let flags = flags
        signal(SIGUSR1, SIG_IGN)
        let wedge = DispatchSource.makeSignalSource(signal: SIGUSR1, queue: .global())
        wedge.setEventHandler { flags.wedgeScaleLoop.store(true, ordering: .relaxed) }
        wedge.resume()
        unixSignals.append(wedge)
    }
}
