import Dispatch
import CMizanSystem
import Foundation
import MizanKiosk
import Synchronization
import MizanConfiguration
import MizanControl
import MizanCore
import MizanHardware
import MizanPOSIX

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
    /// Zero and calibration, for the scale thread to carry out.
    let scaleRequests = ScaleRequests()
    /// What the scale thread last saw.
    let scaleSnapshot = Locked(ScaleSnapshot())
    /// Card frames and lid bounces, for `status` and `doctor`.
    let cardFramesAccepted = Atomic<Int>(0)
    let cardFramesRejected = Atomic<Int>(0)
    let lidBounces = Guarded<[String: Int]>([:])
}

/// Runs `body` on a dedicated thread until it returns; the handle waits
/// for it to finish. The kernel's thread name is set too (top -H,
/// /proc/PID/task/*/comm), so a technician can see which loop is busy.
@discardableResult
func startThread(name: String, _ body: @escaping @Sendable () -> Void) -> ThreadHandle {
    let handle = ThreadHandle(name: name)
    let thread = Thread {
        mizan_set_thread_name(name)
        body()
        handle.finished()
    }
    thread.name = name
    thread.start()
    return handle
}

/// A started thread, to be waited for at shutdown.
final class ThreadHandle: Sendable {
    let name: String
    private let done = DispatchSemaphore(value: 0)

    init(name: String) {
        self.name = name
    }

    fileprivate func finished() {
        done.signal()
    }

    /// Waits up to `timeout` for the thread's body to return.
    func join(timeout: Duration) -> Bool {
        done.wait(timeout: .now() + .nanoseconds(Int(timeout.nanoseconds))) == .success
    }
}

/// What the card reader and lid threads share: the configuration, the
/// queue they feed, the flags, and the GPIO backend (kernel or simulator:
/// the loops cannot tell). A loop's drivers belong to its thread alone once
/// it has started.
class DeviceThreadLoop: @unchecked Sendable {
    let configuration: DaemonConfiguration
    let queue: InputQueue
    let flags: RuntimeFlags
    let gpio: any GPIOBackend

    init(configuration: DaemonConfiguration, queue: InputQueue, flags: RuntimeFlags, gpio: any GPIOBackend) {
        self.configuration = configuration
        self.queue = queue
        self.flags = flags
        self.gpio = gpio
    }

    var threadName: String { "mizan-device" }

    /// The longest a device thread sleeps with nothing happening: how soon
    /// it sees the daemon stopping.
    static let idleWait = Duration.seconds(1)

    func start() -> ThreadHandle {
        startThread(name: threadName) { [self] in run() }
    }

    func run() {}
}

/// The card reader thread: one tap per presence, whichever reader is
/// wired; a reader lost or back raises or clears `card_reader`.
final class CardReaderLoop: DeviceThreadLoop, @unchecked Sendable {
    override var threadName: String { "mizan-card-reader" }

    override func run() {
        let reader = openReader()
        while flags.running.load(ordering: .relaxed) {
            // Asleep on the reader until it speaks, `idleWait` at most.
            let events = reader.step(timeout: Self.idleWait)
            flags.cardFramesAccepted.store(reader.framesAccepted, ordering: .relaxed)
            flags.cardFramesRejected.store(reader.framesRejected, ordering: .relaxed)
            for event in events {
                switch event {
                case let .tap(card, at):
                    queue.push(.cardTapped(card, at: at))
                case let .lost(why):
                    daemonLog.log(.error, "card reader: \(why)")
                    queue.push(.fault(.cardReader, raised: true, at: MonotonicClock.now()))
                case .recovered:
                    daemonLog.log(.notice, "card reader: \(reader.description) is back")
                    queue.push(.fault(.cardReader, raised: false, at: MonotonicClock.now()))
                }
            }
        }
    }

    private func openReader() -> any CardReader {
        switch configuration.cardReader {
        case let .rdm6300(serial):
            let reader = EM4100CardReader(serial: serial, presenceGap: configuration.kiosk.source.cardPresenceGap)
            do {
                try reader.connect()
                daemonLog.log(.info, "card reader: \(reader.description)")
            } catch {
                daemonLog.log(.error, "card reader: \(error)")
                queue.push(.fault(.cardReader, raised: true, at: MonotonicClock.now()))
            }
            return reader
        case let .wiegand(d0, d1):
            let reader = GPIOWiegandCardReader(d0: d0, d1: d1, backend: gpio)
            if let error = reader.openingError {
                daemonLog.log(.error, "card reader: \(error)")
            } else {
                daemonLog.log(.info, "card reader: \(reader.description)")
            }
            return reader
        }
    }
}

/// The lid sensors' thread: debounced lid changes. Kernel lines that fail
/// (the chip gone: ENODEV) put the kiosk out of service for `lid_sensors`
/// and are requested again every second until they all come back.
final class LidLoop: DeviceThreadLoop, @unchecked Sendable {
    override var threadName: String { "mizan-lids" }

    /// The lid state the kiosk loop was last told, to tell it what changed
    /// while the lines were away.
    private var reportedOpen: [BinID: Bool] = [:]

    override func run() {
        var sensors = openSensors(logEach: true)
        var recovery = LineRecovery(fault: .lidSensors, queue: queue)
        if sensors == nil { recovery.lose() }
        var published: [BinID: Int] = [:]
        while flags.running.load(ordering: .relaxed) {
            if recovery.lost {
                guard recovery.attemptDue(), let reopened = openSensors(logEach: false) else { continue }
                sensors = reopened
                daemonLog.log(.notice, "lid sensors: the GPIO lines are back")
                reportChangesWhileAway(reopened)
                recovery.recovered()
            }
            guard let current = sensors else { continue }
            do {
                // Asleep on every lid's line at once until an edge comes or
                // a bounce burst settles, `idleWait` at most.
                let now = MonotonicClock.now()
                let settles = current.compactMap(\.settlesAt).min()
                let wait = min(settles.map { $0 - now } ?? Self.idleWait, Self.idleWait)
                _ = try waitForEdges(on: current.map(\.line), timeout: wait)
                for sensor in current {
                    for change in try sensor.poll(timeout: .zero, now: MonotonicClock.now()) {
                        reportedOpen[change.bin] = change.open
                        queue.push(.lid(change.bin, open: change.open, at: change.at))
                    }
                    let bounces = sensor.bounces
                    if bounces != published[sensor.configuration.bin] {
                        published[sensor.configuration.bin] = bounces
                        flags.lidBounces.withLock { $0[sensor.configuration.bin.rawValue] = bounces }
                    }
                }
            } catch {
                daemonLog.log(.error, "lid sensor: \(error)")
                // Release every line: a chip that comes back is a new
                // device, and its lines are requested afresh.
                sensors = nil
                recovery.lose()
            }
        }
    }

    /// Every bin's sensor, or nil when any line could not be had (each
    /// failure is logged the first time; retries stay quiet).
    private func openSensors(logEach: Bool) -> [BinSensor]? {
        var sensors: [BinSensor] = []
        var complete = true
        for bin in configuration.bins {
            do {
                let input = try gpio.input(bin.line, bias: bin.bias, activeLow: false)
                sensors.append(try BinSensor(configuration: bin, input: input))
                if logEach { daemonLog.log(.info, "lid sensor: \(bin)") }
            } catch {
                if logEach { daemonLog.log(.error, "lid sensor: \(error)") }
                complete = false
            }
        }
        return complete ? sensors : nil
    }

    /// A lid that moved while its line was away is told as a change now.
    private func reportChangesWhileAway(_ sensors: [BinSensor]) {
        for sensor in sensors where sensor.isOpen != reportedOpen[sensor.configuration.bin, default: false] {
            reportedOpen[sensor.configuration.bin] = sensor.isOpen
            queue.push(.lid(sensor.configuration.bin, open: sensor.isOpen, at: MonotonicClock.now()))
        }
    }
}
