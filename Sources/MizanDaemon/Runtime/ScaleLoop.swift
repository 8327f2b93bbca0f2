import Foundation
import MizanKiosk
import MizanConfiguration
import MizanControl
import MizanCore
import MizanHardware

/// The scale thread: serial indicator (or HX711) → weighing engine →
/// events. The engine lives and dies on this thread, so the sampling path
/// never waits on the kiosk loop or the database; zero and calibration
/// requests reach it through `flags.scaleRequests`.
final class ScaleLoop: @unchecked Sendable {
    // Touched only by the scale thread once started.
    private var engine: WeighingEngine
    private let scale: DaemonConfiguration.Scale
    private let queue: InputQueue
    private let flags: RuntimeFlags
    private let gpio: any GPIOBackend
    private let divisionMilligrams: Int64
    private let overloadReading: Milligrams
    private let underloadReading: Milligrams
    private var lastRawCounts: Int64?
    private var lastSnapshotAt = Instant.origin
    /// A calibration in progress: the empty platform's counts once captured,
    /// and the capture running now.
    private var emptyCounts: Int64?
    private var capture: (CalibrationCapture, CaptureStep)?

    enum CaptureStep {
        case empty(ControlReply)
        case loaded(reference: Grams, actor: String, ControlReply)
    }

    init(
        configuration: DaemonConfiguration, calibration: Calibration?, queue: InputQueue, flags: RuntimeFlags,
        gpio: any GPIOBackend
    ) {
        self.gpio = gpio
        engine = WeighingEngine(
            configuration: configuration.kiosk.weighing, calibration: calibration, startedAt: MonotonicClock.now())
        scale = configuration.scale
        self.queue = queue
        self.flags = flags
        divisionMilligrams = configuration.kiosk.weighing.source.divisionGrams * 1_000
        // An indicator's own OL/S+ is taken as a reading beyond the overload limit.
        overloadReading = Milligrams(configuration.kiosk.weighing.overloadAboveMilligrams + 1_000_000)
        underloadReading = Milligrams(configuration.kiosk.weighing.underloadBelowMilligrams - 1_000_000)
    }

    func start() -> ThreadHandle {
        startThread(name: "mizan-scale") { [self] in run() }
    }

    private func emit(_ event: WeighingEvent) {
        // Zero-tracking's small steps change nothing the kiosk loop decides
        // (the state machine ignores them; the status reads zero from the
        // scale snapshot), and on an HX711's fine counts they come with
        // nearly every sample: not worth waking the loop for each.
        if case let .zeroAdjusted(adjustment) = event, adjustment.cause == .tracking { return }
        queue.push(.weighing(event))
    }

    private func run() {
        switch scale {
        case let .serial(configuration):
            runSerial(configuration)
        case let .hx711(configuration, _):
            runHX711(configuration)
        }
    }

    private func runSerial(_ configuration: SerialScaleConfiguration) {
        let driver = SerialScale(configuration: configuration)
        do {
            try driver.connect()
            daemonLog.log(.info, "scale: \(configuration)")
        } catch {
            daemonLog.log(.error, "scale: \(error) — will keep trying")
        }
        while flags.running.load(ordering: .relaxed) {
            if flags.wedgeScaleLoop.load(ordering: .relaxed) {
                usleep(50_000)
                continue
            }
            // The kiosk loop's flags and requests are read after the wait,
            // just before the step's first reading is taken in.
            var begun = false
            driver.step(timeout: .milliseconds(50)) { event in
                if !begun {
                    beginStep()
                    begun = true
                }
                handle(event)
            }
            if !begun { beginStep() }
            endStep()
        }
    }

    private func runHX711(_ configuration: HX711Configuration) {
        let lines: any HX711Lines
        do {
            lines = try gpio.hx711(configuration)
        } catch {
            daemonLog.log(.error, "scale: \(error)")
            // No samples: the engine reports the scale silent until a restart.
            while flags.running.load(ordering: .relaxed) {
                beginStep()
                endStep()
                usleep(100_000)
            }
            return
        }
        let sampler = HX711Sampler(reader: HX711Reader(lines: lines, gain: configuration.gain))
        if let status = sampler.start(realtimePriority: configuration.realtimePriority) {
            daemonLog.log(status.schedulingErrno == nil ? .info : .warning, "scale: \(configuration): \(status)")
        }
        while flags.running.load(ordering: .relaxed) {
            beginStep()
            sampler.queue.drain { sample in
                lastRawCounts = sample.counts
                capture?.0.add(counts: sample.counts, at: sample.at)
                engine.ingest(counts: sample.counts, at: sample.at) { emit($0) }
            }
            endStep()
            // Asleep until the sampler hands over a conversion (80 a second),
            // at most 50 ms so that a silent chip is still noticed.
            sampler.queue.waitForSamples(timeout: .milliseconds(50))
        }
        sampler.stop()
    }

    /// Before a step's samples: the kiosk loop's flags and requests.
    private func beginStep() {
        engine.setIdle(flags.scaleIdle.load(ordering: .relaxed))
        if flags.reestablishZero.load(ordering: .relaxed), flags.reestablishZero.exchange(false, ordering: .relaxed) {
            engine.reestablishZero(at: MonotonicClock.now()) { emit($0) }
        }
        for request in flags.scaleRequests.take() { carryOut(request) }
    }

    /// After a step's samples: time-based rules, the heartbeat, the snapshot.
    private func endStep() {
        let now = MonotonicClock.now()
        engine.tick(at: now) { emit($0) }
        finishCaptureIfDue(at: now)
        flags.scaleHeartbeat.store(now.nanoseconds, ordering: .relaxed)
        if now - lastSnapshotAt >= .milliseconds(100) {
            lastSnapshotAt = now
            flags.scaleSnapshot.set(
                ScaleSnapshot(
                    weighing: engine.status, samplesAccepted: engine.samplesAccepted,
                    rawCounts: lastRawCounts, calibration: engine.calibration
                ))
        }
    }

    private func handle(_ event: ScaleDriverEvent) {
        switch event {
        case let .reading(.weight(mass, _, _), at):
            engine.ingest(mass, at: at) { emit($0) }
        case let .reading(.overload, at):
            engine.ingest(overloadReading, at: at) { emit($0) }
        case let .reading(.underload, at):
            engine.ingest(underloadReading, at: at) { emit($0) }
        case let .indicatorError(text, _):
            daemonLog.log(.warning, "scale: the indicator answered \(text)")
        case let .disconnected(error):
            daemonLog.log(.error, "scale: \(error)")
        case .reconnected:
            daemonLog.log(.notice, "scale: reconnected")
        }
    }

    // MARK: Zero and calibration

    private func carryOut(_ request: ScaleRequest) {
        let now = MonotonicClock.now()
        switch request {
        case let .zero(reply):
            do {
                var adjustment: ZeroAdjustment?
                try engine.setZero(at: now) { event in
                    if case let .zeroAdjusted(change) = event { adjustment = change }
                    emit(event)
                }
                let change = adjustment.map { "\(grams($0.change)) g" } ?? "no change"
                let offset = adjustment.map { "\(grams($0.offsetFromStartup)) g" } ?? "?"
                let budget = "±\(grams(engine.status.zeroRangeBudget)) g"
                let message = "zero set (\(change)); zero is now \(offset) from start-up zero, of a \(budget) budget"
                daemonLog.log(.notice, "scale: \(message)")
                reply.succeed(message)
            } catch {
                daemonLog.log(.warning, "scale: zero refused: \(error)")
                reply.fail("zero refused: \(error)")
            }
        case let .calibrateEmpty(reply):
            guard let spread = captureSpreadLimit(reply) else { return }
            capture?.1.abandon()
            emptyCounts = nil
            capture = (CalibrationCapture(startedAt: now, maximumSpreadCounts: spread), .empty(reply))
        case let .calibrateLoaded(reference, actor, reply):
            guard let spread = captureSpreadLimit(reply) else { return }
            guard emptyCounts != nil else {
                reply.fail("calibrate the empty platform first (mizanctl calibrate --step empty)")
                return
            }
            capture?.1.abandon()
            capture = (
                CalibrationCapture(startedAt: now, maximumSpreadCounts: spread),
                .loaded(reference: reference, actor: actor, reply)
            )
        }
    }

    /// The spread a platform at rest stays within, or nil (and the reply
    /// refused) when this scale is not calibrated by the daemon.
    private func captureSpreadLimit(_ reply: ControlReply) -> Int64? {
        guard case .hx711 = scale else {
            reply.fail(
                "a serial indicator is calibrated on the indicator itself (its own menu, sealed by the metrology office), not by mizand"
            )
            return nil
        }
        guard let calibration = engine.calibration else {
            reply.fail("the HX711 scale has no calibration to start from")
            return nil
        }
        return CalibrationCapture.spreadLimit(for: calibration, divisionMilligrams: divisionMilligrams)
    }

    private func finishCaptureIfDue(at now: Instant) {
        guard let (finished, step) = capture, finished.isComplete(at: now) else { return }
        capture = nil
        let counts: Int64
        do {
            counts = try finished.result()
        } catch {
            step.reply.fail("\(error)")
            return
        }
        switch step {
        case let .empty(reply):
            emptyCounts = counts
            reply.succeed(
                "empty platform: \(counts) counts (spread \(finished.spread) over \(finished.samples) readings); now place the reference mass",
                calibration: CalibrationReport(emptyCounts: counts))
        case let .loaded(reference, actor, reply):
            guard let empty = emptyCounts else { return }
            do {
                let calibration = try Calibration(emptyCounts: empty, loadedCounts: counts, referenceMass: reference)
                let before = engine.calibration
                engine.recalibrate(calibration, at: now) { emit($0) }
                emptyCounts = nil
                // The kiosk loop records it and answers once it is saved.
                queue.push(
                    .calibrated(
                        before: before, after: calibration, loadedCounts: counts, reference: reference, actor: actor,
                        reply))
            } catch {
                reply.fail("\(error)")
            }
        }
    }

    private func grams(_ mass: Milligrams) -> String {
        let value = Double(mass.value) / 1000
        return String(format: "%+.1f", value)
    }
}

extension ScaleLoop.CaptureStep {
    var reply: ControlReply {
        switch self {
        case let .empty(reply), let .loaded(_, _, reply): reply
        }
    }

    /// A capture replaced by a newer request is answered, not left waiting.
    func abandon() {
        reply.fail("replaced by a newer calibration request")
    }
}
