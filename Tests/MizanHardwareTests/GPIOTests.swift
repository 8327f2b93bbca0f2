import Glibc
import Synchronization
import Testing
@testable import MizanCore
@testable import MizanHardware

@Suite("GPIO: libgpiod shim, lids and outputs")
struct GPIOTests {
    @Test func theShimIsBuiltAgainstLibgpiodV1() {
        #expect(GPIOChip.apiVersion == 1)
        #expect(GPIOChip.libraryVersion.hasPrefix("1."))
    }

    @Test func aMissingChipIsAClearError() {
        // This machine has no GPIO subsystem: the real call must fail cleanly.
        do {
            _ = try GPIOChip("gpiochip-mizan-test")
            Issue.record("opened a chip that does not exist")
        } catch {
            #expect(error.errno == ENOENT || error.errno == ENODEV)
            #expect(error.description.contains("gpiochip-mizan-test"))
        }
        do {
            _ = try LibgpiodInput(.name("LID_PLASTIC"), consumer: "test", bias: .pullUp, activeLow: false)
            Issue.record("found a line on a machine without GPIO")
        } catch {
            #expect(error.description.contains("LID_PLASTIC"))
        }
    }

    @Test(arguments: ["gpiochip0:17", "name:LID_PLASTIC", "pinctrl-bcm2711:4"])
    func lineAddressesByChipOffsetOrName(_ text: String) {
        #expect(GPIOLineAddress(text) != nil)
        #expect(GPIOLineAddress.issues(text, key: "bins[0].line").isEmpty)
    }

    @Test(arguments: ["17", "gpio17", "gpiochip0:", ":4", "name:", "gpiochip0:-1"])
    func globalNumbersAndMalformedAddressesAreRefused(_ text: String) {
        #expect(GPIOLineAddress(text) == nil)
        #expect(GPIOLineAddress.issues(text, key: "bins[0].line").first?.key == "bins[0].line")
    }

    @Test func aBouncingReedSwitchIsOneLidChange() throws {
        let input = SimulatedInput(.name("LID_METAL"), level: true)  // pulled up: closed reads high
        let sensor = try BinSensor(
            configuration: BinSensorConfiguration(bin: "metal", line: input.address), input: input)
        #expect(!sensor.isOpen)
        // Opened at 1.000 s with 3 ms of bounce.
        for (level, seconds) in [(false, 1.000), (true, 1.0008), (false, 1.0015), (true, 1.002), (false, 1.003)] {
            input.drive(level, at: .seconds(seconds))
        }
        #expect(try sensor.poll(timeout: .zero, now: .seconds(1.010)).isEmpty)
        let opened = try sensor.poll(timeout: .zero, now: .seconds(1.030))
        #expect(opened == [LidChange(bin: "metal", open: true, at: .seconds(1.000))])
        #expect(sensor.isOpen)
        #expect(sensor.bounces == 2)
        // Slammed shut at 5 s: bounces again.
        for (level, seconds) in [(true, 5.000), (false, 5.001), (true, 5.002)] {
            input.drive(level, at: .seconds(seconds))
        }
        let closed = try sensor.poll(timeout: .zero, now: .seconds(5.1))
        #expect(closed == [LidChange(bin: "metal", open: false, at: .seconds(5.000))])
    }

    @Test func signalPatterns() {
        let beeps = SignalPattern.beeps(count: 2, on: .milliseconds(100), off: .milliseconds(100))
        #expect(
            [0, 50, 100, 150, 200, 299, 300, 1_000].map { beeps.level(after: .milliseconds($0)) }
                == [true, true, false, false, true, true, false, false])
        let blink = SignalPattern.blink(on: .milliseconds(500), off: .milliseconds(500), total: .seconds(2))
        #expect(blink.level(after: .milliseconds(1_200)))
        #expect(!blink.level(after: .milliseconds(1_700)))
        #expect(!blink.level(after: .seconds(2)))
        #expect(SignalPattern.pulse(.seconds(2)).level(after: .milliseconds(1_999)))
        #expect(!SignalPattern.pulse(.seconds(2)).level(after: .seconds(2)))
        #expect(beeps.duration == .milliseconds(400))
    }

    @Test func greenFollowsCreditedAndRedFollowsRefusals() throws {
        let credited = FeedbackSignals.for(
            .credited(DepositID(kioskID: "k", sequence: 1), credit: 300, grams: Grams(1_000), capped: false))
        #expect(credited.green.level(after: .milliseconds(10)))
        #expect(!credited.red.level(after: .milliseconds(10)))
        let refused = FeedbackSignals.for(.tapRefused(CardUID("DEADBEEF")!, .unknownCard))
        #expect(refused.red.level(after: .milliseconds(10)))
        #expect(!refused.green.level(after: .milliseconds(10)))
        let outOfService = FeedbackSignals.for(.outOfService)
        #expect(outOfService.red.duration == nil)  // blinks until service returns
    }

    @Test func aSignalOutputWritesOnlyChanges() throws {
        let clock = ManualClock()
        let line = SimulatedOutput(.name("LED_GREEN")) { clock.now }
        let output = SignalOutput(output: line)
        try output.play(.beeps(count: 2, on: .milliseconds(100), off: .milliseconds(100)), at: clock.now)
        for step in 1...50 {
            clock.set(.milliseconds(Int64(step) * 10))
            try output.update(at: clock.now)
        }
        #expect(line.changes.map(\.rising) == [true, false, true, false])
        #expect(line.changes.map(\.at) == [.origin, .milliseconds(100), .milliseconds(200), .milliseconds(300)])
    }

    @Test func theSamplerThreadHandsSamplesOverInOrder() {
        let model = HX711Model(codes: Array(1...500).map(Int32.init))
        model.operationNanoseconds = 1_000
        model.repeatsLastCode = false
        let sampler = HX711Sampler(reader: HX711Reader(lines: model), queueCapacity: 64)
        let status = sampler.start(realtimePriority: nil)
        #expect(status?.description.contains("normal scheduling") == true)
        var received: [Int64] = []
        // Drain while the thread works through all 500 conversions (the
        // model then stops converting); how many the full queue dropped
        // depends on the machine's load, the accounting does not.
        for _ in 0..<20_000 where sampler.statistics.samples < 500 {
            sampler.queue.drain { received.append($0.counts) }
            usleep(500)
        }
        sampler.stop()
        sampler.queue.drain { received.append($0.counts) }
        let statistics = sampler.statistics
        #expect(statistics.samples == 500)
        #expect(received.count + statistics.dropped == 500)
        #expect(received.count >= 64)
        // In order, each at most once, with gaps only where samples were dropped.
        #expect(received == received.sorted())
        #expect(Set(received).count == received.count)
        #expect(received.allSatisfy { (1...500).contains($0) })
    }

    @Test func asksForRealTimeAndSaysWhatItGot() {
        let model = HX711Model(codes: [1])
        let sampler = HX711Sampler(reader: HX711Reader(lines: model))
        let status = sampler.start(realtimePriority: 10)
        sampler.stop()
        // The lock is the whole process's: the rest of the tests run unlocked.
        munlockall()
        // As root it is granted; otherwise the reason is spelled out.
        if let errno = status?.schedulingErrno {
            #expect(errno == EPERM)
            #expect(status?.description.contains("could not get SCHED_FIFO") == true)
        } else {
            #expect(status?.description.contains("SCHED_FIFO priority 10") == true)
        }
    }
}

/// A clock a test moves by hand.
final class ManualClock: Sendable {
    private let nanoseconds = Atomic<Int64>(0)

    var now: Instant { Instant(nanoseconds: nanoseconds.load(ordering: .relaxed)) }

    func set(_ instant: Instant) {
        nanoseconds.store(instant.nanoseconds, ordering: .relaxed)
    }
}
