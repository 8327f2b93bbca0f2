import Foundation
import MizanCore
public import MizanLedger

/// What a scenario run showed, and whether every expectation held.
public struct ScenarioResult: Sendable {
    public let name: String
    public let failures: [String]
    public let account: [String]
    /// Everything the ledger held at the end (for reports).
    public var ledger: LedgerExport?
    public var passed: Bool { failures.isEmpty }
}

/// Runs scenarios. `runInProcess` plays the timeline on the physical model
/// in virtual time and replays it through the engine, the state machine and
/// a real ledger file (the fast tier; the same scenarios will also run
/// against the real daemon).
public enum ScenarioRunner {
    public static func runInProcess(_ scenario: Scenario, ledgerPath: String) throws -> ScenarioResult {
        let ledger = try Ledger.open(path: ledgerPath, kioskID: scenario.configuration.kioskID)
        let setUp = LedgerClockReading(
            wall: WallClockTime(millisecondsSinceEpoch: StandardDay.wallStart.millisecondsSinceEpoch - 86_400_000),
            synchronized: true
        )
        var households: [CardUID: HouseholdID] = [:]
        for household in scenario.households {
            households[household.card] = try ledger.registerHousehold(
                card: household.card, name: household.name, actor: "scenario", at: setUp
            ).id
            if household.blocked {
                try ledger.setHouseholdStatus(card: household.card, to: .blocked, actor: "scenario", at: setUp)
            }
        }
        try ledger.publishPrices(scenario.prices, actor: "scenario", at: setUp)

        var parameters = LoadCellModel.Parameters()
        parameters.noise = scenario.physics.noiseMilligrams
        parameters.driftPerHour = scenario.physics.driftMilligramsPerHour
        var day = TraceRecorder(
            seed: scenario.seed, loadCell: parameters,
            cardCorruptionThousandths: scenario.physics.cardCorruptionThousandths)
        day.lidBounces = scenario.physics.lidBounces
        day.seconds(2)  // the empty platform settles and zero is set
        for action in scenario.timeline { play(action, on: &day) }
        day.seconds(1)

        let kiosk = try ReplayKiosk(
            configuration: try scenario.configuration.validated(), ledger: ledger, wallStart: StandardDay.wallStart)
        kiosk.run(day.trace)
        let observed = Observations(
            refusals: kiosk.feedback.compactMap {
                if case let .tapRefused(_, refusal) = $0 { refusal.rawValue } else { nil }
            },
            faults: kiosk.faultsRaised.map(\.description),
            sessionsClosed: kiosk.sessionsClosed,
            inService: kiosk.inService
        )
        let failures = try check(scenario.expectations, observed: observed, ledger: ledger, households: households)
        return ScenarioResult(name: scenario.name, failures: kiosk.failures + failures, account: kiosk.account)
    }

    /// What a run showed, however it ran.
    struct Observations {
        var refusals: [String]
        var faults: [String]
        var sessionsClosed: [String]
        var inService: Bool
    }

    static func play(_ action: Scenario.Action, on day: inout TraceRecorder) {
        switch action {
        case let .wait(duration): day.wait(duration)
        case let .tap(card): day.tap(card)
        case let .open(bin): day.open(bin)
        case let .close(bin): day.close(bin)
        case let .slam(bin): day.close(bin, slam: true)
        case let .drop(grams): day.drop(grams: grams)
        case let .take(grams): day.drop(grams: -grams)
        case let .deposit(bin, grams, slam): day.deposit(grams, into: bin, slam: slam)
        case let .vibrate(peak, duration): day.vibrate(peakGrams: peak, for: duration)
        case .pullScaleCable: day.scaleConnected = false
        case .reconnectScale: day.scaleConnected = true
        case .emptyBins: day.emptyBins()
        case let .jumpClock(duration): day.jumpWallClock(by: duration)
        case .killDaemon: day.restartDaemon()
        }
    }

    static func check(
        _ expected: Scenario.Expectations, observed: Observations, ledger: Ledger, households: [CardUID: HouseholdID]
    ) throws -> [String] {
        var failures: [String] = []
        let export = try ledger.export()
        let deposits = export.tables["deposits"] ?? []
        for (card, credit) in expected.credits.sorted(by: { $0.key < $1.key }) {
            guard let household = households[card] else {
                failures.append("credits: card \(card) is not a household of the scenario")
                continue
            }
            let balance = try ledger.balance(of: household)
            if balance != credit { failures.append("credits: card \(card) has \(balance), expected \(credit)") }
        }
        if let reasons = expected.deposits {
            let got = deposits.compactMap { $0["reason"]?.text }
            if got != reasons.map(\.rawValue) {
                failures.append("deposits: got \(got), expected \(reasons.map(\.rawValue))")
            }
        }
        if let refused = expected.refused {
            let got = observed.refusals
            if got != refused.map(\.rawValue) {
                failures.append("refused: got \(got), expected \(refused.map(\.rawValue))")
            }
        }
        let raised = observed.faults
        for fault in expected.faults where !raised.contains(fault) {
            failures.append("faults: \"\(fault)\" was never raised (raised: \(raised))")
        }
        if let closed = expected.sessionsClosed {
            let got = observed.sessionsClosed
            if got != closed { failures.append("sessions_closed: got \(got), expected \(closed)") }
        }
        func grams(_ reasons: Set<String>) -> Int64 {
            deposits.filter { reasons.contains($0["reason"]?.text ?? "") }.reduce(0) {
                $0 + ($1["net_g"]?.integer ?? 0)
            }
        }
        if let credited = expected.creditedGrams, grams(["credited", "capped"]) != credited {
            failures.append("credited_grams: got \(grams(["credited", "capped"])), expected \(credited)")
        }
        if let anonymous = expected.anonymousGrams, grams(["anonymous"]) != anonymous {
            failures.append("anonymous_grams: got \(grams(["anonymous"])), expected \(anonymous)")
        }
        if let inService = expected.inServiceAtEnd, observed.inService != inService {
            failures.append("in_service_at_end: the kiosk is \(observed.inService ? "in" : "out of") service")
        }
        if let anomalies = expected.clockAnomalies {
            let got = try ledger.auditLog(kind: .clock).count
            if got != anomalies { failures.append("clock_anomalies: got \(got), expected \(anomalies)") }
        }
        if !export.verification.ok {
            failures.append("the ledger does not verify: \(export.verification.problems.map(\.description))")
        }
        return failures
    }
}
