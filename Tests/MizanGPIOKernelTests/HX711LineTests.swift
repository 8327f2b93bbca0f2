import Glibc
import MizanCore
import MizanHardware
import Testing

/// The HX711 reader's two lines on gpio-sim. No HX711 answers the clock
/// here (gpio-sim lines only hold what user space pulls them to), so these
/// are the wiring faults: DOUT never ready, DOUT shorted low, the chip gone.
/// A real conversion is tested against the line-level model in MizanHardwareTests.
@Suite(
    .serialized, .timeLimit(.minutes(3)),
    .enabled(if: GPIOSimChip.inTestVM, "needs the kernel's gpio-sim: runs inside the VM of make test-gpio"))
struct HX711LineTests {
    @Test func dataNeverReadyIsNotReadyAndTheClockStaysLow() throws {
        let chip = try GPIOSimChip("kt-hx711-idle", lines: ["KT_HX_DOUT", "KT_HX_SCK"])
        try chip.pull("KT_HX_DOUT", high: true)
        let lines = try LibgpiodHX711Lines(HX711Configuration(data: .name("KT_HX_DOUT"), clock: .name("KT_HX_SCK")))
        let reader = HX711Reader(lines: lines)
        #expect(reader.read(timeout: .milliseconds(50)) == .notReady)
        #expect(try chip.value("KT_HX_SCK") == false, "PD_SCK low: the HX711 stays powered")
        #expect(reader.samplesRead == 0)
    }

    /// DOUT shorted to ground looks "ready" forever and reads as zero bits;
    /// DOUT still low after the 25th pulse gives it away.
    @Test func dataShortedLowIsDiscardedNeverAWeight() throws {
        let chip = try GPIOSimChip("kt-hx711-short", lines: ["KT_HX_DOUT2", "KT_HX_SCK2"])
        try chip.pull("KT_HX_DOUT2", high: false)
        let lines = try LibgpiodHX711Lines(HX711Configuration(data: .name("KT_HX_DOUT2"), clock: .name("KT_HX_SCK2")))
        // Timing aside: the read must be refused for DOUT alone.
        let patient = HX711Reader(lines: lines, maximumHighNanoseconds: 10_000_000_000)
        #expect(patient.read(timeout: .milliseconds(50)) == .discardedNotHighAfterRead)
        #expect(patient.notHighAfterRead == 1)
        #expect(try chip.value("KT_HX_SCK2") == false, "the clock ends low after the pulses")

        // With the real 50 µs limit: whichever check trips first, no sample.
        let reader = HX711Reader(lines: lines)
        for _ in 0..<20 {
            if case .sample = reader.read(timeout: .milliseconds(50)) { Issue.record("a shorted DOUT gave a sample") }
        }
        #expect(reader.overruns + reader.notHighAfterRead == 20)
        print(
            "hx711 on gpio-sim: longest PD_SCK high phase \(reader.longestHighNanoseconds / 1000) µs (set, read, set: three ioctls), \(reader.overruns) of 20 reads over 50 µs"
        )
    }

    @Test func aVanishedChipReadsAsNotReadyWithTheErrorKept() throws {
        let chip = try GPIOSimChip("kt-hx711-gone", lines: ["KT_HX_DOUT3", "KT_HX_SCK3"])
        try chip.pull("KT_HX_DOUT3", high: true)
        let lines = try LibgpiodHX711Lines(HX711Configuration(data: .name("KT_HX_DOUT3"), clock: .name("KT_HX_SCK3")))
        let reader = HX711Reader(lines: lines)
        try chip.setLive(false)
        #expect(reader.read(timeout: .milliseconds(20)) == .notReady)
        #expect(lines.lastError?.errno == ENODEV, "\(String(describing: lines.lastError))")
    }
}
