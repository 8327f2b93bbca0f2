import ArgumentParser
import Foundation
import MizanSimulator

extension MizanSim {
    struct PowerCuts: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "power-cuts",
            abstract:
                "Cut the power of a VM running the real daemon on an ext4 disk, again and again, and check its ledger.",
            discussion: """
                Boots the VM tier's kernel under qemu once per cut with the kiosk's state on a virtio disk; the guest
                streams deposits and the host kills qemu at random moments (deposits, start-up recovery, a clean stop's
                WAL checkpoint). After every boot the recovered ledger must verify, hold every credit acknowledged
                before, and hold no drop twice. Example (what scripts/vm/power-cuts.sh runs):
                  mizan-sim power-cuts --cuts 20 --kernel ~/.cache/mizan/…/bzImage --guest-init scripts/vm/guest-init.sh
                """
        )

        @Option(help: "How many times to cut the power (one more boot follows, to check).") var cuts = 20
        @Option(help: "The VM tier's kernel (scripts/vm/build-kernel.sh prints it).") var kernel: String
        @Option(help: "The guest's init script.") var guestInit = "scripts/vm/guest-init.sh"
        @Option(help: "The mizand binary the guest runs.") var daemon = ".build/debug/mizand"
        @Option(help: "The seed of the cuts' moments.") var seed: UInt64 = 20_261_201
        @Option(help: "Keep the disk image, logs and consoles here (default: a temporary directory, removed).")
        var keep: String?

        func run() throws {
            let project = FileManager.default.currentDirectoryPath
            let absolute = { (path: String) in path.hasPrefix("/") ? path : project + "/" + path }
            let work = keep ?? FileManager.default.temporaryDirectory.path + "/mizan-power-cuts-\(getpid())"
            defer { if keep == nil { try? FileManager.default.removeItem(atPath: work) } }
            let settings = PowerCutRun.Settings(
                kernel: absolute(kernel), guestInit: absolute(guestInit), project: project,
                simulator: (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
                    ?? absolute(".build/debug/mizan-sim"),
                daemon: absolute(daemon), cuts: cuts, seed: seed, work: absolute(work))
            let figures = try PowerCutRun.run(settings) {
                print($0)
                fflush(nil)
            }
            print(PowerCutReport.text(figures))
            if !figures.passed { throw ExitCode(1) }
        }
    }

    /// One boot inside the power-cut VM (started by the guest's init).
    struct PowerCutGuestBoot: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "power-cut-guest",
            abstract: "Inside the power-cut VM: run the kiosk on its disk until the power goes (see power-cuts).",
            shouldDisplay: false
        )

        @Option var daemon: String
        @Option var state: String
        @Option var results: String
        @Option var boot: Int
        @Option var plan: String
        @Option var firstDrop: Int

        func run() throws {
            guard let plan = PowerCutGuest.Plan(rawValue: plan) else {
                throw ValidationError("--plan: one of \(PowerCutGuest.Plan.allCases.map(\.rawValue))")
            }
            try PowerCutGuest(
                daemonPath: daemon, stateDirectory: state, results: results, boot: boot, plan: plan,
                firstDrop: firstDrop
            ).run()
        }
    }
}
