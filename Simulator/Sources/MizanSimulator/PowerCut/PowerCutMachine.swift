import Foundation
import Glibc
import MizanCore

/// The VM of the power-cut tier: one qemu per boot, its console kept in
/// `boot-N.console`, killed with SIGKILL when the run's moment comes.
struct PowerCutMachine {
    let settings: PowerCutRun.Settings
    let disk: String
    let results: String
    /// qemu's software emulation, as in the gpio-sim tier: KVM inside the
    /// virtual machines CI runs on is nested, and the kernel does not boot
    /// there (qemu cannot set the guest's IA32_ARCH_CAPABILITIES).
    let accelerator = "tcg"

    init(settings: PowerCutRun.Settings, disk: String, results: String) {
        self.settings = settings
        self.disk = disk
        self.results = results
    }

    private let patience = Duration.seconds(600)

    /// Boots once and returns the guest's marks. `cut` is asked every 10 ms
    /// with how long ago (ms) the host first saw a mark of each kind
    /// ("starting", "drop", …); when it says yes, qemu is killed.
    func boot(
        _ boot: Int, plan: PowerCutGuest.Plan, firstDrop: Int, cut: ((String) -> Int64?) -> Bool
    ) throws -> [PowerCutMark] {
        let log = "\(results)/boot-\(boot).log"
        let console = settings.work + "/boot-\(boot).console"
        _ = FileManager.default.createFile(atPath: console, contents: nil)
        let qemu = Process()
        qemu.executableURL = URL(fileURLWithPath: "/usr/bin/qemu-system-x86_64")
        qemu.arguments = arguments(boot: boot, plan: plan, firstDrop: firstDrop)
        qemu.standardOutput = FileHandle(forWritingAtPath: console)
        qemu.standardError = qemu.standardOutput
        qemu.standardInput = FileHandle.nullDevice
        try qemu.run()

        let started = ContinuousClock.now
        var firstSeen: [String: ContinuousClock.Instant] = [:]
        var marks: [PowerCutMark] = []
        var cutDone = false
        while qemu.isRunning {
            let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
            marks = PowerCutMark.read(text)
            let now = ContinuousClock.now
            for mark in marks {
                let kind = String(mark.line.prefix { $0 != " " })
                if firstSeen[kind] == nil { firstSeen[kind] = now }
            }
            let since: (String) -> Int64? = { kind in
                firstSeen[kind].map { (now - $0).milliseconds }
            }
            if cut(since) {
                kill(qemu.processIdentifier, SIGKILL)
                cutDone = true
                break
            }
            if now - started > patience {
                kill(qemu.processIdentifier, SIGKILL)
                qemu.waitUntilExit()
                throw PowerCutFailure(
                    "boot \(boot) went on for \(patience) without its moment:\n\(consoleTail(boot: boot))")
            }
            usleep(10_000)
        }
        qemu.waitUntilExit()
        if plan != .check && !cutDone {
            throw PowerCutFailure("boot \(boot) ended before its cut:\n\(consoleTail(boot: boot))")
        }
        // The guest may have written a line between the last look and the kill.
        marks = PowerCutMark.read((try? String(contentsOfFile: log, encoding: .utf8)) ?? "")
        if plan == .check && !marks.contains(.checked) {
            throw PowerCutFailure("the last boot ended without reading the ledger:\n\(consoleTail(boot: boot))")
        }
        return marks
    }

    func snapshot(boot: Int) -> PowerCutLedgerSnapshot? {
        guard let data = FileManager.default.contents(atPath: "\(results)/check-\(boot).json") else { return nil }
        return try? JSONDecoder().decode(PowerCutLedgerSnapshot.self, from: data)
    }

    func consoleTail(boot: Int) -> String {
        let text = (try? String(contentsOfFile: settings.work + "/boot-\(boot).console", encoding: .utf8)) ?? ""
        return text.split(separator: "\n").suffix(40).joined(separator: "\n")
    }

    private func arguments(boot: Int, plan: PowerCutGuest.Plan, firstDrop: Int) -> [String] {
        let guest = [
            "MIZAN_GUEST_RUN=power-cut", "MIZAN_PROJECT=\(settings.project)", "MIZAN_SIM=\(settings.simulator)",
            "MIZAN_DAEMON=\(settings.daemon)", "MIZAN_BOOT=\(boot)", "MIZAN_PLAN=\(plan.rawValue)",
            "MIZAN_FIRST_DROP=\(firstDrop)",
        ]
        return [
            "-accel", accelerator, "-cpu", "max", "-smp", "1", "-m", "1024", "-nographic", "-no-reboot",
            "-kernel", settings.kernel,
            "-append",
            "console=ttyS0 loglevel=4 panic=-1 rootfstype=9p root=hostroot rootflags=trans=virtio,version=9p2000.L,msize=512000,cache=loose ro init=\(settings.guestInit) "
                + guest.joined(separator: " "),
            "-fsdev", "local,id=hostroot,path=/,security_model=none,readonly=on,multidevs=remap",
            "-device", "virtio-9p-pci,fsdev=hostroot,mount_tag=hostroot",
            "-fsdev", "local,id=results,path=\(results),security_model=none",
            "-device", "virtio-9p-pci,fsdev=results,mount_tag=results",
            "-drive", "file=\(disk),if=virtio,format=raw,cache=writeback",
        ]
    }
}
