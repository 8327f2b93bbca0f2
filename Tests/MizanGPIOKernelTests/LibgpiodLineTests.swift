import Glibc
import MizanCore
import MizanHardware
import Testing

/// The project's libgpiod drivers against the kernel's own GPIO character
/// device, on gpio-sim chips. Runs inside the test VM (make test-gpio);
/// elsewhere it is skipped, because no kernel GPIO subsystem is there.
@Suite(
    .serialized, .timeLimit(.minutes(3)),
    .enabled(if: GPIOSimChip.inTestVM, "needs the kernel's gpio-sim: runs inside the VM of make test-gpio"))
struct LibgpiodLineTests {
    @Test func linesAreFoundByChipAndOffsetAndByName() throws {
        let chip = try GPIOSimChip("kt-lookup", lines: [nil, "KT_LOOKUP_A", nil, "KT_LOOKUP_B"])
        let found = try GPIOChip.resolve(.name("KT_LOOKUP_B"))
        #expect(found.chip == chip.chipName)
        #expect(found.offset == 3)
        #expect(try GPIOChip(chip.chipName).lineCount == 4)
        // The chip also opens by its label, as a configuration may name it.
        #expect(try GPIOChip("kt-lookup").name == chip.chipName)

        try chip.pull(1, high: true)
        let byOffset = try LibgpiodInput(
            .chipOffset(chip: chip.chipName, offset: 1), consumer: "kt", bias: .asIs, activeLow: false)
        #expect(try byOffset.level())
        try chip.pull(1, high: false)
        #expect(try byOffset.level() == false)

        try chip.pull(3, high: true)
        let byName = try LibgpiodInput(.name("KT_LOOKUP_B"), consumer: "kt", bias: .asIs, activeLow: false)
        #expect(try byName.level())

        let missing = #expect(throws: GPIOError.self) { try GPIOChip.resolve(.name("KT_NO_SUCH_LINE")) }
        #expect(missing?.errno == ENOENT)
        #expect(missing?.description.contains("line \"KT_NO_SUCH_LINE\"") == true)
        let beyond = #expect(throws: GPIOError.self) {
            try LibgpiodInput(
                .chipOffset(chip: chip.chipName, offset: 9), consumer: "kt", bias: .asIs, activeLow: false)
        }
        #expect(beyond?.errno == EINVAL, "\(String(describing: beyond))")
    }

    /// gpio-sim applies a consumer's bias as the line's pull, the way a
    /// SoC's pad pull-up holds an open reed switch high.
    @Test func inputsHonourBiasAndActiveLow() throws {
        let chip = try GPIOSimChip("kt-bias", lines: ["KT_BIAS"])
        do {
            let pulledUp = try LibgpiodInput(.name("KT_BIAS"), consumer: "kt", bias: .pullUp, activeLow: false)
            #expect(try chip.currentPull(0) == "pull-up")
            #expect(try pulledUp.level())
        }
        do {
            let pulledDown = try LibgpiodInput(.name("KT_BIAS"), consumer: "kt", bias: .pullDown, activeLow: false)
            #expect(try chip.currentPull(0) == "pull-down")
            #expect(try pulledDown.level() == false)
        }
        do {
            let activeLow = try LibgpiodInput(.name("KT_BIAS"), consumer: "kt", bias: .pullUp, activeLow: true)
            #expect(try activeLow.level() == false, "high on the wire reads as inactive")
            try chip.pull(0, high: false)
            #expect(try activeLow.level(), "low on the wire reads as active")
        }
    }

    @Test func edgesCarryTheKernelsMonotonicTimestamps() throws {
        let chip = try GPIOSimChip("kt-edges", lines: ["KT_EDGES"])
        let input = try LibgpiodInput(.name("KT_EDGES"), consumer: "kt", bias: .pullUp, activeLow: false)
        #expect(try input.edges(timeout: .milliseconds(50)).isEmpty, "no edge without a change")
        let before = MonotonicClock.now()
        try chip.pull(0, high: false)
        usleep(30_000)
        try chip.pull(0, high: true)
        usleep(30_000)
        try chip.pull(0, high: false)
        let after = MonotonicClock.now()
        var edges: [GPIOEdge] = []
        for _ in 0..<20 where edges.count < 3 {
            edges += try input.edges(timeout: .milliseconds(100))
        }
        #expect(edges.map(\.rising) == [false, true, false])
        #expect(
            edges.allSatisfy { $0.at >= before && $0.at <= after }, "timestamps \(edges) outside [\(before), \(after)]")
        if edges.count == 3 {
            #expect(edges[1].at - edges[0].at >= .milliseconds(30))
            #expect(edges[2].at - edges[1].at >= .milliseconds(30))
        }
    }

    @Test func outputsDriveTheLineAndReadBackThroughTheSimulator() throws {
        let chip = try GPIOSimChip("kt-outputs", lines: ["KT_GREEN", "KT_RED", "KT_BUZZER"])
        let green = try LibgpiodOutput(.name("KT_GREEN"), consumer: "kt", activeLow: false, initial: false)
        let red = try LibgpiodOutput(.name("KT_RED"), consumer: "kt", activeLow: true, initial: false)
        #expect(try chip.value("KT_GREEN") == false)
        #expect(try chip.value("KT_RED"), "an active-low LED that is off is high on the wire")
        try green.set(true)
        try red.set(true)
        #expect(try chip.value("KT_GREEN"))
        #expect(try chip.value("KT_RED") == false)
        try green.set(false)
        #expect(try chip.value("KT_GREEN") == false)

        // The buzzer's beep code, stepped through its times: the wire follows.
        let buzzer = SignalOutput(
            output: try LibgpiodOutput(.name("KT_BUZZER"), consumer: "kt", activeLow: false, initial: false))
        let start = Instant(nanoseconds: 1_000_000_000)
        let pattern = SignalPattern.beeps(count: 2, on: .milliseconds(100), off: .milliseconds(100))
        try buzzer.play(pattern, at: start)
        var seen: [Bool] = []
        for step in stride(from: 0, through: 450, by: 50) {
            let time = start + .milliseconds(Int64(step))
            try buzzer.update(at: time)
            seen.append(try chip.value("KT_BUZZER"))
            #expect(seen.last == pattern.level(after: .milliseconds(Int64(step))), "at \(step) ms")
        }
        #expect(seen.filter { $0 }.count == 4, "two beeps of 100 ms, sampled every 50 ms: \(seen)")
    }

    @Test func aBusyLineNamesItsConsumer() throws {
        let chip = try GPIOSimChip("kt-busy", lines: ["KT_BUSY"])
        defer { withExtendedLifetime(chip) {} }
        let other = try LibgpiodInput(.name("KT_BUSY"), consumer: "someone-else", bias: .asIs, activeLow: false)
        let error = #expect(throws: GPIOError.self) {
            try LibgpiodInput(.name("KT_BUSY"), consumer: "mizand", bias: .pullUp, activeLow: false)
        }
        #expect(error?.errno == EBUSY)
        #expect(error?.heldBy == "someone-else")
        #expect(error?.description.contains("line \"KT_BUSY\"") == true, "\(String(describing: error))")
        #expect(error?.description.contains("in use by \"someone-else\"") == true, "\(String(describing: error))")
        withExtendedLifetime(other) {}
    }

    /// What a driver sees when its chip goes away under it, and that the
    /// same name finds the chip again when it comes back.
    @Test func aChipThatDisappearsIsReportedAndFoundAgain() throws {
        let chip = try GPIOSimChip("kt-vanish", lines: ["KT_VANISH"])
        var input: LibgpiodInput? = try LibgpiodInput(
            .name("KT_VANISH"), consumer: "kt", bias: .pullUp, activeLow: false)
        try chip.setLive(false)
        let lost = #expect(throws: GPIOError.self) {
            _ = try input?.level()
            _ = try input?.edges(timeout: .milliseconds(100))
        }
        #expect(lost?.errno == ENODEV, "\(String(describing: lost))")
        input = nil
        #expect(throws: GPIOError.self) { try GPIOChip.resolve(.name("KT_VANISH")) }

        try chip.setLive(true)
        let again = try LibgpiodInput(.name("KT_VANISH"), consumer: "kt", bias: .pullUp, activeLow: false)
        #expect(try again.level())
    }
}
