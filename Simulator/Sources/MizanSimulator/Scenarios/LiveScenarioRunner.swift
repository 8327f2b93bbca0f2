import Foundation
import Glibc
import MizanCore
import MizanLedger

extension ScenarioRunner {
    /// Actions the live runner cannot play on a real daemon yet.
    static func liveUnsupported(_ scenario: Scenario) -> String? {
        for action in scenario.timeline {
            switch action {
            case .jumpClock: return "jump_clock needs control of the daemon's wall clock"
            default: continue
            }
        }
        return nil
    }

    /// Plays the scenario in real time against the real `mizand` on a fresh
    /// state directory, then checks the same expectations against its
    /// ledger and its log. Returns nil (with the reason) for a scenario that
    /// uses an action the live runner cannot play.
    public static func runLive(_ scenario: Scenario, daemonPath: String) throws -> (ScenarioResult?, skipped: String?) {
        if let reason = liveUnsupported(scenario) { return (nil, reason) }
        let kiosk = try LiveKiosk(
            daemonPath: daemonPath, kiosk: scenario.configuration, noise: scenario.physics.noiseMilligrams,
            cardCorruptionThousandths: scenario.physics.cardCorruptionThousandths
        )
        defer { kiosk.shutdown() }
        kiosk.lidBounces = scenario.physics.lidBounces
        var households: [CardUID: HouseholdID] = [:]
        try kiosk.prepareLedger { ledger in
            let setUp = LedgerClockReading(
                wall: WallClockTime(millisecondsSinceEpoch: 1_700_000_000_000), synchronized: true)
            for household in scenario.households {
                households[household.card] = try ledger.registerHousehold(
                    card: household.card, name: household.name, actor: "scenario", at: setUp
                ).id
                if household.blocked {
                    try ledger.setHouseholdStatus(card: household.card, to: .blocked, actor: "scenario", at: setUp)
                }
            }
            try ledger.publishPrices(scenario.prices, actor: "scenario", at: setUp)
        }
        var starts = 1
        try kiosk.startDaemon()
        guard kiosk.waitForLog("mizand ready", occurrences: starts) else {
            return (
                ScenarioResult(
                    name: scenario.name, failures: ["mizand did not become ready"], account: kiosk.log.lines), nil
            )
        }
        kiosk.wait(seconds: 2)
        for action in scenario.timeline {
            switch action {
            case let .wait(duration): kiosk.wait(seconds: Double(duration.nanoseconds) / 1e9)
            case let .tap(card): kiosk.tap(card)
            case let .open(bin): kiosk.open(bin.rawValue)
            case let .close(bin): kiosk.close(bin.rawValue)
            case let .slam(bin): kiosk.close(bin.rawValue, slam: true)
            case let .drop(grams): kiosk.drop(grams: grams)
            case let .take(grams): kiosk.drop(grams: -grams)
            case let .deposit(bin, grams, slam): kiosk.deposit(grams, into: bin.rawValue, slam: slam)
            case let .vibrate(peak, duration): kiosk.vibrate(peakGrams: peak, for: duration)
            case .pullScaleCable: kiosk.scaleDevice.unplug()
            case .reconnectScale: try kiosk.scaleDevice.plugIn()
            case .killDaemon:
                kiosk.stopDaemon(signal: SIGKILL)
                try kiosk.startDaemon()
                starts += 1
                _ = kiosk.waitForLog("mizand ready", occurrences: starts)
            case .emptyBins: try kiosk.emptyBins()
            case .jumpClock:
                break
            }
        }
        kiosk.wait(seconds: 1.5)
        kiosk.stopDaemon()

        let log = kiosk.log.lines
        let refusals = log.compactMap { line -> String? in
            guard let range = line.range(of: "refused (") else { return nil }
            return String(line[range.upperBound...].prefix { $0 != ")" })
        }
        var faults: [String] = []
        var inService = true
        for line in log {
            if let range = line.range(of: "OUT OF SERVICE: ") {
                inService = false
                for fault in line[range.upperBound...].components(separatedBy: ", ") where !faults.contains(fault) {
                    faults.append(fault)
                }
            } else if line.contains("back in service") {
                inService = true
            }
        }
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let closures = (try ledger.export().tables["session_closures"] ?? []).compactMap { $0["reason"]?.text }
        let observed = Observations(refusals: refusals, faults: faults, sessionsClosed: closures, inService: inService)
        let failures = try check(scenario.expectations, observed: observed, ledger: ledger, households: households)
        var result = ScenarioResult(name: scenario.name, failures: failures, account: log)
        result.ledger = try ledger.export()
        return (result, nil)
    }
}

extension String {
    var lines: [String] {
        split(separator: "\n").map { $0.hasPrefix("<") ? String($0.drop { $0 != ">" }.dropFirst()) : String($0) }
    }
}
