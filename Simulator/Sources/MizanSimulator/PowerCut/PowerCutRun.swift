import Foundation
import Glibc
import MizanCore

/// Power cuts for real: boots the small kernel under qemu with the kiosk's
/// state on a virtio disk (ext4 on an image, `cache=writeback`: the guest's
/// flushes reach the host's disk), lets `PowerCutGuest` stream deposits,
/// and kills qemu — the guest loses everything its kernel had not yet
/// written — at random moments: while deposits are weighed and committed,
/// during mizand's start-up recovery, and around the WAL checkpoint of a
/// clean stop. Every boot the guest reads the recovered ledger back and the
/// host checks it against every credit acknowledged before the cut.
public enum PowerCutRun {
    public struct Settings: Sendable {
        public var kernel: String
        public var guestInit: String
        public var project: String
        public var simulator: String
        public var daemon: String
        public var cuts: Int
        public var seed: UInt64
        public var work: String

        public init(
            kernel: String, guestInit: String, project: String, simulator: String, daemon: String, cuts: Int,
            seed: UInt64, work: String
        ) {
            self.kernel = kernel
            self.guestInit = guestInit
            self.project = project
            self.simulator = simulator
            self.daemon = daemon
            self.cuts = cuts
            self.seed = seed
            self.work = work
        }
    }

    /// Where in the kiosk's life a cut was aimed.
    public enum CutMoment: String, Sendable, CaseIterable {
        case deposits = "while deposits are weighed and committed"
        case startUp = "during start-up recovery"
        case checkpoint = "around a clean stop's WAL checkpoint"
    }

    public struct Figures: Sendable {
        public var cuts: [CutMoment: Int] = [:]
        /// Cuts that landed before mizand said ready.
        public var cutsBeforeReady = 0
        public var drops = 0
        public var acknowledged = 0
        /// Ledgers read back and checked against the acknowledgements.
        public var ledgersChecked = 0
        public var lost: [String] = []
        public var doubled: [String] = []
        public var unexplained: [String] = []
        public var unverified: [String] = []
        public var outOfService: [Int] = []
        public var otherOutcomes: [String: Int] = [:]
        public var readyMilliseconds: [Int64] = []
        public var fileSystemCheck = ""
        public var seconds = 0.0

        public var passed: Bool {
            lost.isEmpty && doubled.isEmpty && unexplained.isEmpty && unverified.isEmpty && outOfService.isEmpty
                && ledgersChecked > 0 && acknowledged > 0
        }
    }

    public static func run(_ settings: Settings, report: (String) -> Void) throws -> Figures {
        let started = ContinuousClock.now
        let results = settings.work + "/results"
        try FileManager.default.createDirectory(atPath: results, withIntermediateDirectories: true)
        let disk = settings.work + "/kiosk-disk.img"
        try makeDisk(at: disk)
        let machine = PowerCutMachine(settings: settings, disk: disk, results: results)
        report("power cuts: \(settings.cuts) cuts, qemu with \(machine.accelerator), seed \(settings.seed)")

        var random = SeededRandom(seed: settings.seed)
        var audit = PowerCutAudit()
        var figures = Figures()
        for boot in 1...(settings.cuts + 1) {
            let last = boot == settings.cuts + 1
            let moment: CutMoment =
                boot % 4 == 3 ? .checkpoint : (boot > 1 && boot % 5 == 0 ? .startUp : .deposits)
            let plan: PowerCutGuest.Plan = last ? .check : (moment == .checkpoint ? .checkpoints : .deposits)
            let delay = Int64(random.next() % (moment == .startUp ? 1_500 : moment == .checkpoint ? 400 : 6_000))
            let marks = try machine.boot(boot, plan: plan, firstDrop: audit.nextDrop) { millisecondsSince in
                guard !last else { return false }
                let after = ["starting", "stopping", "drop"][
                    [CutMoment.startUp, .checkpoint, .deposits].firstIndex(of: moment)!]
                return millisecondsSince(after).map { $0 >= delay } ?? false
            }
            if !last {
                figures.cuts[moment, default: 0] += 1
                if !marks.contains(where: { if case .ready = $0 { true } else { false } }) {
                    figures.cutsBeforeReady += 1
                }
            }
            for case .ready(let milliseconds) in marks { figures.readyMilliseconds.append(milliseconds) }
            if let snapshot = machine.snapshot(boot: boot) {
                let findings = audit.check(snapshot)
                figures.ledgersChecked += 1
                figures.lost += findings.lost.map { "boot \(boot): \($0)" }
                figures.doubled += findings.doubled.map { "boot \(boot): \($0)" }
                figures.unexplained += findings.unexplained.map { "boot \(boot): \($0)" }
                if !snapshot.verified { figures.unverified.append("boot \(boot): \(snapshot.problems)") }
                if !snapshot.inService { figures.outOfService.append(boot) }
                figures.otherOutcomes = findings.otherOutcomes
                if !findings.clean || !snapshot.verified {
                    report("boot \(boot): \(findings) verified=\(snapshot.verified) \(snapshot.problems)")
                }
            } else if last {
                throw PowerCutFailure("the last boot did not read the ledger back: \(machine.consoleTail(boot: boot))")
            }
            audit.record(marks)
            if boot % 10 == 0 || last {
                report(
                    "boot \(boot): \(audit.drops.count) drops, \(audit.acknowledged.count) credits acknowledged, \(figures.ledgersChecked) ledgers checked"
                )
            }
        }
        figures.drops = audit.drops.count
        figures.acknowledged = audit.acknowledged.count
        figures.fileSystemCheck = fileSystemCheck(disk)
        figures.seconds = Double((ContinuousClock.now - started).milliseconds) / 1_000
        return figures
    }

    private static func makeDisk(at path: String) throws {
        _ = FileManager.default.createFile(atPath: path, contents: nil)
        guard truncate(path, 256 << 20) == 0 else {
            throw PowerCutFailure("sizing the disk image \(path): \(String(cString: strerror(errno)))")
        }
        let made = try ChildProcess.run("/sbin/mkfs.ext4", ["-q", "-F", "-L", "mizan-state", path])
        guard made.status == 0 else { throw PowerCutFailure("mkfs.ext4 \(path): \(made.output)") }
    }

    /// `e2fsck -fn` on the image after the last, clean boot: the file
    /// system itself came through every cut.
    private static func fileSystemCheck(_ disk: String) -> String {
        guard let checked = try? ChildProcess.run("/sbin/e2fsck", ["-f", "-n", disk]) else {
            return "e2fsck did not run"
        }
        let summary = checked.output.split(separator: "\n").last.map(String.init) ?? ""
        return checked.status == 0 ? "clean (\(summary))" : "status \(checked.status): \(checked.output)"
    }
}
