import Foundation
import Synchronization
import MizanCore
import MizanHardware

/// Flags shared between the kiosk loop and the device threads.
final class RuntimeFlags: Sendable {
    let running = Atomic<Bool>(true)
    /// Zero-tracking may run (set by the kiosk loop, read by the scale thread).
    let scaleIdle = Atomic<Bool>(true)
    /// When the scale thread last completed a step (monotonic ns): the
    /// watchdog is only fed while this moves.
    let scaleHeartbeat = Atomic<Int64>(0)
    /// Test hook: the scale thread stops stepping (a wedged loop).
    let wedgeScaleLoop = Atomic<Bool>(false)
    /// Set when service mode ends: zero is set again at the next rest.
    let reestablishZero = Atomic<Bool>(false)
}

/// Runs `body` on a dedicated thread until it returns.
func startThread(name: String, _ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.name = name
    thread.start()
}

/// The scale thread: serial indicator (or HX711) → weighing engine →
/// events. The engine lives and dies on this thread, so the sampling path
/// never waits on the kiosk loop or the database.
final class ScaleLoop: @unchecked Sendable {
    // Touched only by the scale thread once started.
    private var engine: WeighingEngine
    private let scale: DaemonConfiguration.Scale
    private let queue: InputQueue
    private let flags: RuntimeFlags
    private let overloadReading: Milligrams
    private let underloadReading: Milligrams

    init(configuration: DaemonConfiguration, queue: InputQueue, flags: RuntimeFlags) {
        let calibration: Calibration? = if case let .hx711(_, calibration) = configuration.scale { calibration } else { nil }
        engine = WeighingEngine(configuration: configuration.kiosk.weighing, calibration: calibration, startedAt: MonotonicClock.now())
        scale = configuration.scale
        self.queue = queue
        self.flags = flags
        // An indicator's own OL/S+ is taken as a reading beyond the overload limit.
        overloadReading = Milligrams(configuration.kiosk.weighing.overloadAboveMilligrams + 1_000_000)
        underloadReading = Milligrams(configuration.kiosk.weighing.underloadBelowMilligrams - 1_000_000)
    }

    func start() {
        startThread(name: "mizan-scale") { [self] in run() }
    }

    private func emit(_ event: WeighingEvent) {
        queue.push(.weighing(event))
    }

    private func run() {
        switch scale {
        case let .serial(configuration):
            let driver = SerialScale(configuration: configuration)
            do {
                try driver.connect()
                DaemonLog.write(.info, "scale: \(configuration)")
            } catch {
                DaemonLog.write(.error, "scale: \(error) — will keep trying")
            }
            while flags.running.load(ordering: .relaxed) {
                if flags.wedgeScaleLoop.load(ordering: .relaxed) {
                    usleep(50_000)
                    continue
                }
                let events = driver.step(timeout: .milliseconds(50))
                engine.setIdle(flags.scaleIdle.load(ordering: .relaxed))
                if flags.reestablishZero.exchange(false, ordering: .relaxed) {
                    engine.reestablishZero(at: MonotonicClock.now()) { emit($0) }
                }
                for event in events { handle(event) }
                engine.tick(at: MonotonicClock.now()) { emit($0) }
                flags.scaleHeartbeat.store(MonotonicClock.now().nanoseconds, ordering: .relaxed)
            }
        case let .hx711(configuration, _):
            let lines: LibgpiodHX711Lines
            do {
                lines = try LibgpiodHX711Lines(configuration)
            } catch {
                DaemonLog.write(.error, "scale: \(error)")
                while flags.running.load(ordering: .relaxed) {
                    engine.tick(at: MonotonicClock.now()) { emit($0) }
                    flags.scaleHeartbeat.store(MonotonicClock.now().nanoseconds, ordering: .relaxed)
                    usleep(100_000)
                }
                return
            }
            let sampler = HX711Sampler(reader: HX711Reader(lines: lines, gain: configuration.gain))
            if let status = sampler.start(realtimePriority: configuration.realtimePriority) {
                DaemonLog.write(status.schedulingErrno == nil ? .info : .warning, "scale: \(configuration): \(status)")
            }
            while flags.running.load(ordering: .relaxed) {
                engine.setIdle(flags.scaleIdle.load(ordering: .relaxed))
                if flags.reestablishZero.exchange(false, ordering: .relaxed) {
                    engine.reestablishZero(at: MonotonicClock.now()) { emit($0) }
                }
                sampler.queue.drain { sample in engine.ingest(counts: sample.counts, at: sample.at) { emit($0) } }
                engine.tick(at: MonotonicClock.now()) { emit($0) }
                flags.scaleHeartbeat.store(MonotonicClock.now().nanoseconds, ordering: .relaxed)
                usleep(10_000)
            }
            sampler.stop()
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
            DaemonLog.write(.warning, "scale: the indicator answered \(text)")
        case let .disconnected(error):
            DaemonLog.write(.error, "scale: \(error)")
        case .reconnected:
            DaemonLog.write(.notice, "scale: reconnected")
        }
    }
}

/// What the card reader and lid threads share: the configuration, the
/// queue they feed, the flags, and the simulated GPIO backend if any. A
/// loop's drivers belong to its thread alone once it has started.
class DeviceThreadLoop: @unchecked Sendable {
    let configuration: DaemonConfiguration
    let queue: InputQueue
    let flags: RuntimeFlags
    let gpio: SimulatedGPIOBackend?

    init(configuration: DaemonConfiguration, queue: InputQueue, flags: RuntimeFlags, gpio: SimulatedGPIOBackend?) {
        self.configuration = configuration
        self.queue = queue
        self.flags = flags
        self.gpio = gpio
    }

    var threadName: String { "mizan-device" }

    func start() {
        startThread(name: threadName) { [self] in run() }
    }

    func run() {}
}

/// The card reader thread: frames → one tap per presence.
final class CardReaderLoop: DeviceThreadLoop, @unchecked Sendable {
    override var threadName: String { "mizan-card-reader" }

    override func run() {
        switch configuration.cardReader {
        case let .rdm6300(serial):
            let reader = EM4100CardReader(serial: serial, presenceGap: configuration.kiosk.source.cardPresenceGap)
            do {
                try reader.connect()
                DaemonLog.write(.info, "card reader: \(reader.description)")
            } catch {
                DaemonLog.write(.error, "card reader: \(error)")
                queue.push(.fault(.cardReader, raised: true, at: MonotonicClock.now()))
            }
            while flags.running.load(ordering: .relaxed) {
                for event in reader.step(timeout: .milliseconds(50)) {
                    switch event {
                    case let .tap(card, at): queue.push(.cardTapped(card, at: at))
                    case let .disconnected(error):
                        DaemonLog.write(.error, "card reader: \(error)")
                        queue.push(.fault(.cardReader, raised: true, at: MonotonicClock.now()))
                    case .reconnected:
                        DaemonLog.write(.notice, "card reader: reconnected")
                        queue.push(.fault(.cardReader, raised: false, at: MonotonicClock.now()))
                    }
                }
            }
        case let .wiegand(d0Address, d1Address):
            let d0: any DigitalInput
            let d1: any DigitalInput
            do {
                if let gpio {
                    d0 = gpio.input(d0Address)
                    d1 = gpio.input(d1Address)
                } else {
                    d0 = try LibgpiodInput(d0Address, consumer: "mizand", bias: .pullUp, activeLow: true)
                    d1 = try LibgpiodInput(d1Address, consumer: "mizand", bias: .pullUp, activeLow: true)
                }
            } catch {
                DaemonLog.write(.error, "card reader: \(error)")
                queue.push(.fault(.cardReader, raised: true, at: MonotonicClock.now()))
                return
            }
            let reader = WiegandCardReader(d0: d0, d1: d1)
            while flags.running.load(ordering: .relaxed) {
                do {
                    for case let .tap(card, at) in try reader.step(timeout: .milliseconds(20), now: MonotonicClock.now()) {
                        queue.push(.cardTapped(card, at: at))
                    }
                } catch {
                    DaemonLog.write(.error, "card reader: \(error)")
                    usleep(200_000)
                }
            }
        }
    }
}

/// The lid sensors' thread: debounced lid changes.
final class LidLoop: DeviceThreadLoop, @unchecked Sendable {
    override var threadName: String { "mizan-lids" }

    override func run() {
        var sensors: [BinSensor] = []
        for bin in configuration.bins {
            do {
                let input: any DigitalInput = if let gpio { gpio.input(bin.line) } else {
                    try LibgpiodInput(bin.line, consumer: "mizand", bias: bin.bias, activeLow: false)
                }
                sensors.append(try BinSensor(configuration: bin, input: input))
                DaemonLog.write(.info, "lid sensor: \(bin)")
            } catch {
                DaemonLog.write(.error, "lid sensor: \(error)")
                queue.push(.fault(.lidSensors, raised: true, at: MonotonicClock.now()))
            }
        }
        var backendUp = true
        while flags.running.load(ordering: .relaxed) {
            if let gpio {
                // Edges carry their own timestamps, so waking 20 times a
                // second costs no precision, only a little latency.
                let up = gpio.pump(timeout: .milliseconds(50))
                if up != backendUp {
                    backendUp = up
                    DaemonLog.write(up ? .notice : .error, "lid sensors: the simulator's GPIO socket \(up ? "is back" : "went away")")
                    queue.push(.fault(.lidSensors, raised: !up, at: MonotonicClock.now()))
                }
                if !up {
                    try? gpio.connect()
                    usleep(200_000)
                }
            }
            let now = MonotonicClock.now()
            for sensor in sensors {
                do {
                    for change in try sensor.poll(timeout: gpio == nil ? .milliseconds(5) : .zero, now: now) {
                        queue.push(.lid(change.bin, open: change.open, at: change.at))
                    }
                } catch {
                    DaemonLog.write(.error, "lid sensor: \(error)")
                }
            }
        }
    }
}
