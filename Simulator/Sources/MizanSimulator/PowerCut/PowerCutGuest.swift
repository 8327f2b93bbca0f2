import Foundation
import Glibc
import MizanCore
import MizanLedger

/// The kiosk inside the power-cut VM: mizand on the simulator with its
/// state on the guest's ext4 disk. Each boot it starts the daemon (which
/// recovers from whatever the last power cut left), reads the ledger back
/// for the host, then streams deposits, announcing each drop before it is
/// placed and each credit once the daemon's GREEN line reports it — until
/// the host pulls the plug.
public struct PowerCutGuest {
    /// What this boot does after the ledger was read back.
    public enum Plan: String, Sendable, CaseIterable {
        /// Deposits until the power goes.
        case deposits
        /// Deposits, and every few a clean stop (the daemon checkpoints the
        /// WAL on its way out) and a new start: the host cuts near the stop.
        case checkpoints
        /// Nothing more: the last boot, which only reads the ledger back and
        /// stops cleanly.
        case check
    }

    public static let kioskID = "vm-kiosk"
    static let card = CardUID("C0FFEE0042")!

    let daemonPath: String
    let stateDirectory: String
    let results: String
    let boot: Int
    let plan: Plan
    let firstDrop: Int

    public init(daemonPath: String, stateDirectory: String, results: String, boot: Int, plan: Plan, firstDrop: Int) {
        self.daemonPath = daemonPath
        self.stateDirectory = stateDirectory
        self.results = results
        self.boot = boot
        self.plan = plan
        self.firstDrop = firstDrop
    }

    public func run() throws {
        let log = try PowerCutLog(path: "\(results)/boot-\(boot).log")
        let firstBoot = !FileManager.default.fileExists(atPath: stateDirectory + "/ledger.sqlite")
        let kiosk = try LiveKiosk(daemonPath: daemonPath, stateDirectory: stateDirectory, kioskID: Self.kioskID)
        if firstBoot {
            try kiosk.prepareLedger(
                household: Self.card, name: "Power cut", rates: ["plastic": 300, "metal": 800], actor: "power-cut")
        }
        try start(kiosk, log: log)
        try readBack(kiosk)
        log.mark(.checked)
        if plan == .check {
            _ = kiosk.stopDaemon()
            return
        }
        kiosk.wait(seconds: 2)  // the scale settles, zero is set
        var drop = firstDrop
        var sinceStop = 0
        while true {
            kiosk.tap(Self.card)
            for _ in 0..<3 {
                deposit(drop, into: kiosk, log: log)
                drop += 1
                sinceStop += 1
            }
            if plan == .checkpoints && sinceStop >= 3 {
                log.mark(.stopping)
                _ = kiosk.stopDaemon()
                log.mark(.stopped)
                try start(kiosk, log: log)
                kiosk.wait(seconds: 2)
                sinceStop = 0
            }
        }
    }

    private func start(_ kiosk: LiveKiosk, log: PowerCutLog) throws {
        log.mark(.starting)
        let started = ContinuousClock.now
        let readyBefore = kiosk.logCount("mizand ready")
        try kiosk.startDaemon()
        guard kiosk.waitForLog("mizand ready", occurrences: readyBefore + 1, timeout: .seconds(60)) else {
            throw PowerCutFailure("mizand did not become ready after boot \(boot):\n\(kiosk.log)")
        }
        log.mark(.ready(milliseconds: (ContinuousClock.now - started).milliseconds))
    }

    /// One drop into the plastic bin: announced, placed, and acknowledged if
    /// the daemon credits it within ten seconds.
    private func deposit(_ drop: Int, into kiosk: LiveKiosk, log: PowerCutLog) {
        let grams = PowerCutAudit.grams(ofDrop: drop)
        let greens = kiosk.logCount("GREEN: ")
        log.mark(.drop(drop, grams: grams))
        kiosk.open("plastic")
        kiosk.wait(seconds: 0.3)
        kiosk.drop(grams: grams)
        kiosk.wait(seconds: 0.4)
        kiosk.close("plastic")
        guard kiosk.waitForLog("GREEN: ", occurrences: greens + 1, timeout: .seconds(10)),
            let line = kiosk.log.split(separator: "\n").last(where: { $0.contains("GREEN: ") }),
            let deposit = Self.depositID(inGreenLine: String(line))
        else { return }
        log.mark(.acknowledged(drop, deposit: deposit, grams: grams))
    }

    /// `… GREEN: vm-kiosk-D12 credited 0.36 XBZ for 1200 g` → `vm-kiosk-D12`.
    static func depositID(inGreenLine line: String) -> String? {
        guard let range = line.range(of: "GREEN: ") else { return nil }
        return line[range.upperBound...].split(separator: " ").first.map(String.init)
    }

    /// The ledger as recovery left it, written for the host (whole or not at all).
    private func readBack(_ kiosk: LiveKiosk) throws {
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let export = try ledger.export()
        let deposits = (export.tables["deposits"] ?? []).map {
            PowerCutLedgerSnapshot.Deposit(
                id: $0["id"]?.text ?? "?", netGrams: $0["net_g"]?.integer ?? -1, reason: $0["reason"]?.text ?? "?")
        }
        let inService = (try? kiosk.status().inService) ?? false
        let snapshot = PowerCutLedgerSnapshot(
            boot: boot, verified: export.verification.ok, problems: export.verification.problems.map { "\($0)" },
            inService: inService, deposits: deposits)
        let data = try JSONEncoder().encode(snapshot)
        let path = "\(results)/check-\(boot).json"
        try data.write(to: URL(fileURLWithPath: path + ".partial"))
        guard rename(path + ".partial", path) == 0 else {
            throw PowerCutFailure("renaming \(path).partial: \(String(cString: strerror(errno)))")
        }
    }
}
