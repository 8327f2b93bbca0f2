import Foundation
import Glibc
import MizanCore
import MizanHardware
import Testing

/// Lid sensors and the Wiegand reader on gpio-sim lines, timed by the
/// kernel's edge timestamps. Edges are made by writing a line's pull from
/// user space: each write is one syscall, so the fastest edges here are tens
/// of microseconds apart (hundreds under qemu's emulation), never the 50 µs
/// pulses of a real Wiegand reader.
@Suite(
    .serialized, .timeLimit(.minutes(3)),
    .enabled(if: GPIOSimChip.inTestVM, "needs the kernel's gpio-sim: runs inside the VM of make test-gpio"))
struct SensorLineTests {
    // The debounce is 100 ms here (a kiosk uses 20): the bursts are pull
    // writes from user space, and a slow emulator must still finish one
    // well inside the interval.

    /// Polls a sensor until `count` changes arrived or `seconds` passed.
    func changes(of sensor: BinSensor, count: Int, within seconds: Double = 2) throws -> [LidChange] {
        var changes: [LidChange] = []
        let deadline = MonotonicClock.now() + .milliseconds(Int64(seconds * 1000))
        while changes.count < count, MonotonicClock.now() < deadline {
            changes += try sensor.poll(timeout: .milliseconds(10), now: MonotonicClock.now())
        }
        return changes
    }

    @Test func aBouncingReedSwitchIsOneLidChangeEachWay() throws {
        let chip = try GPIOSimChip("kt-lid", lines: ["KT_LID"])
        let configuration = BinSensorConfiguration(bin: "plastic", line: .name("KT_LID"), debounce: .milliseconds(100))
        let input = try LibgpiodInput(.name("KT_LID"), consumer: "kt", bias: .pullUp, activeLow: false)
        let sensor = try BinSensor(configuration: configuration, input: input)
        #expect(sensor.isOpen == false, "pull-up with the reed switch open to ground: lid closed")

        // Opening: the contact chatters five times within a few ms, then stays.
        let opening = MonotonicClock.now()
        for level in [false, true, false, true, false, true, false] {
            try chip.pull(0, high: level)
        }
        let burst = MonotonicClock.now() - opening
        try #require(
            burst < .milliseconds(100),
            "the burst took \(burst.milliseconds) ms, longer than the debounce: nothing to test")
        let opened = try changes(of: sensor, count: 1)
        #expect(opened.map(\.open) == [true])
        #expect(
            opened.first.map { $0.at >= opening && $0.at - opening < .milliseconds(100) } == true,
            "dated at its first edge: \(opened)")
        #expect(sensor.isOpen)
        #expect(sensor.bounces >= 3, "bounces counted: \(sensor.bounces)")

        // Closing, with the lid landing twice.
        for level in [true, false, true, false, true] {
            try chip.pull(0, high: level)
        }
        let closed = try changes(of: sensor, count: 1)
        #expect(closed.map(\.open) == [false])
        #expect(sensor.isOpen == false)
        // Nothing more comes once the line is quiet.
        #expect(try changes(of: sensor, count: 1, within: 0.2).isEmpty)
    }

    @Test func aPulseShorterThanTheDebounceIsNoLidChange() throws {
        let chip = try GPIOSimChip("kt-glitch", lines: ["KT_GLITCH"])
        let configuration = BinSensorConfiguration(bin: "metal", line: .name("KT_GLITCH"), debounce: .milliseconds(100))
        let sensor = try BinSensor(
            configuration: configuration,
            input: LibgpiodInput(.name("KT_GLITCH"), consumer: "kt", bias: .pullUp, activeLow: false))
        let start = MonotonicClock.now()
        try chip.pull(0, high: false)
        try chip.pull(0, high: true)
        try #require(MonotonicClock.now() - start < .milliseconds(100))
        #expect(try changes(of: sensor, count: 1, within: 0.3).isEmpty)
        #expect(sensor.bounces == 1)
        #expect(sensor.isOpen == false)
    }

    /// A 26-bit and a 34-bit frame pulsed on D0/D1 (`WiegandPulser`), read
    /// by a thread of its own as the daemon reads it.
    ///
    /// The reader must keep draining: libgpiod v1's line events come through
    /// a kernel FIFO of 16 events per line, and a frame has up to 34 edges
    /// on one line; read only after the frame, the surplus is dropped.
    @Test(arguments: [(UInt64(0x1234AB), 24, "1234AB"), (UInt64(0xDEADBEEF), 32, "DEADBEEF")])
    func wiegandFramesArriveOnTwoKernelLines(data: UInt64, bits: Int, hex: String) throws {
        let chip = try GPIOSimChip("kt-wiegand-\(bits)", lines: ["KT_W\(bits)_D0", "KT_W\(bits)_D1"])
        let d0 = try LibgpiodInput(.name("KT_W\(bits)_D0"), consumer: "kt", bias: .pullUp, activeLow: true)
        let d1 = try LibgpiodInput(.name("KT_W\(bits)_D1"), consumer: "kt", bias: .pullUp, activeLow: true)
        let frame = WiegandDecoder.frame(data: data, dataBits: bits)
        // A frame whose sender was preempted for most of the 25 ms frame gap
        // is the harness's failure, not the reader's: sent again, at most twice.
        for attempt in 1...3 {
            let reading = ReaderThread(WiegandCardReader(d0: d0, d1: d1))
            reading.start()
            let timing = try WiegandPulser(chip: chip, d0: 0, d1: 1).send(frame)
            let cards = reading.stop(after: .seconds(1), once: 1)
            print("wiegand on gpio-sim, attempt \(attempt): \(timing)")
            if timing.splitByPreemption, attempt < 3 {
                usleep(50_000)
                continue
            }
            #expect(cards == [hex], "\(timing); failures \(reading.failures)")
            return
        }
    }
}

/// Steps a Wiegand reader on a thread of its own until stopped, as the
/// daemon's card-reader thread does.
final class ReaderThread: @unchecked Sendable {
    private let reader: WiegandCardReader
    private let lock = NSLock()
    private var cards: [String] = []
    private var running = true
    private var problem: String?

    init(_ reader: WiegandCardReader) {
        self.reader = reader
    }

    func start() {
        Thread { [self] in
            while lock.withLock({ running }) {
                do {
                    for case let .tap(card, _) in try reader.step(timeout: .milliseconds(20), now: MonotonicClock.now())
                    {
                        lock.withLock { cards.append(card.description) }
                    }
                } catch {
                    lock.withLock {
                        problem = "\(error)"
                        running = false
                    }
                }
            }
        }.start()
    }

    /// Waits until `count` cards came or `timeout` passed, stops the thread,
    /// and returns the cards.
    func stop(after timeout: Duration, once count: Int) -> [String] {
        let deadline = MonotonicClock.now() + timeout
        while MonotonicClock.now() < deadline, lock.withLock({ cards.count < count && running }) {
            usleep(10_000)
        }
        return lock.withLock {
            running = false
            return cards
        }
    }

    var failures: String {
        lock.withLock { "\(reader.failures)\(problem.map { ", error: \($0)" } ?? "")" }
    }
}
