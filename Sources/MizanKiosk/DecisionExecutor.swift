public import Logging
import MizanCore
import MizanLedger

/// Structured fields of a log entry, e.g. `["MIZAN_EVENT": "deposit"]`.
public typealias LogFields = [String: String]

extension Logger {
    /// A line for people with the journal's structured fields.
    public func log(_ level: Logger.Level, _ text: String, _ fields: LogFields = [:]) {
        log(level: level, "\(text)", metadata: fields.mapValues { .string($0) })
    }
}

/// Carries out the kiosk state machine's decisions, in order, against the
/// book, and says what happened in plain words. Only the coordinator
/// drives it.
final class DecisionExecutor {
    let book: any KioskBook
    private let configuration: ValidatedKioskConfiguration
    /// The wall clock of the turn being carried out.
    var clock: LedgerClockReading
    private let logger: Logger
    /// Called for every feedback after the decision that caused it.
    /// What the outputs and the scale must do, in order, since last taken.
    var effects: [KioskEffect] = []
    /// Every decision carried out, for tests that look at the state machine.
    var onDecision: ((KioskDecision) -> Void)?
    /// When set (a real clock), each commit's latency from the sample that
    /// decided the deposit is logged, for the benchmark and for technicians.
    var monotonicNow: (() -> Instant)?
    private(set) var failures: [String] = []

    init(book: any KioskBook, configuration: ValidatedKioskConfiguration, clock: LedgerClockReading, logger: Logger) {
        self.book = book
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    /// Feeds `input` to the state machine and carries out every decision,
    /// including those that follow a commit's acknowledgement.
    func handle(_ input: KioskInput, on kiosk: inout KioskStateMachine, now: Instant) {
        var queue = [input]
        while !queue.isEmpty {
            for decision in kiosk.handle(queue.removeFirst()) {
                onDecision?(decision)
                if let next = execute(decision, now: now) { queue.append(next) }
            }
        }
    }

    private func execute(_ decision: KioskDecision, now: Instant) -> KioskInput? {
        do {
            switch decision {
            case let .openSession(opening):
                try book.recordSessionOpened(opening, at: clock)
                logger.log(
                    .info, "session \(opening.id) opened for \(opening.household) (card \(opening.card))",
                    [
                        "MIZAN_EVENT": "session_opened", "MIZAN_SESSION_ID": opening.id.description,
                        "MIZAN_HOUSEHOLD_ID": String(opening.household.rawValue),
                        "MIZAN_CARD": opening.card.description,
                    ])
            case let .closeSession(closing):
                try book.recordSessionClosed(closing, at: clock)
                effects.append(.sessionClosed(closing))
                logger.log(
                    .info,
                    "session \(closing.id) closed (\(closing.reason.rawValue)): \(closing.deposits) deposits, \(closing.creditedGrams.value) g, credit \(money(closing.credit))",
                    [
                        "MIZAN_EVENT": "session_closed", "MIZAN_SESSION_ID": closing.id.description,
                        "MIZAN_REASON": closing.reason.rawValue,
                    ])
            case let .commitDeposit(record):
                do {
                    try book.commit(record, at: clock)
                    logger.log(.info, describe(record), fields(record))
                    if let monotonicNow {
                        let latency = monotonicNow() - record.decidedAt
                        logger.log(
                            .info,
                            "deposit \(record.id) committed \(latency.nanoseconds / 1_000) µs after the sample that decided it",
                            [
                                "MIZAN_EVENT": "commit_latency", "MIZAN_DEPOSIT_ID": record.id.description,
                                "MIZAN_LATENCY_US": String(latency.nanoseconds / 1_000),
                            ])
                    }
                    return .depositCommitted(record.id, at: record.decidedAt)
                } catch {
                    failures.append("committing \(record.id): \(error)")
                    let idUnused = error.kind != .fork
                    logger.log(
                        .error, "deposit \(record.id) NOT recorded: \(error)",
                        [
                            "MIZAN_EVENT": "commit_failed", "MIZAN_DEPOSIT_ID": record.id.description,
                            "MIZAN_ERROR": error.description,
                        ])
                    return .depositCommitFailed(record.id, at: record.decidedAt, idUnused: idUnused)
                }
            case let .feedback(feedback):
                // The host tells it (lights, screen, account) and logs it.
                effects.append(.feedback(feedback))
            case let .outOfService(faults, _):
                effects.append(.outOfService(faults))
                logger.log(
                    .warning, "OUT OF SERVICE: \(faults.map(\.description).joined(separator: ", "))",
                    [
                        "MIZAN_EVENT": "out_of_service",
                        "MIZAN_FAULTS": faults.map(\.description).joined(separator: ","),
                    ])
            case .backInService:
                effects.append(.backInService)
                logger.log(.info, "back in service", ["MIZAN_EVENT": "back_in_service"])
            case let .scaleIdle(idle):
                effects.append(.scaleIdle(idle))
            }
        } catch {
            failures.append("\(decision): \(error)")
            logger.log(.error, "ledger error: \(error)", ["MIZAN_EVENT": "ledger_error"])
            // A session the ledger could not record: out of service until
            // the ledger takes writes again.
            return .faultRaised(.ledger, at: now)
        }
        return nil
    }

    func describe(_ record: DepositRecord) -> String {
        let material = configuration.materialsByID[record.material]
        let name = material.map { "\($0.nameEnglish) \($0.nameArabic)" } ?? record.material.rawValue
        let net = record.net.map { "\($0.value) g" } ?? "no stable mass"
        var text = "deposit \(record.id) \(name): \(net) → \(record.reason.rawValue)"
        if record.reason.isCredited {
            text +=
                ", credit \(money(record.credit)) at \(record.ratePerKilogram ?? 0)/kg (carry \(record.carryOut.thousandths)/1000)"
        }
        if let household = record.household { text += " [\(household)]" }
        return text
    }

    /// The journal's fields for a deposit.
    func fields(_ record: DepositRecord) -> LogFields {
        var fields = [
            "MIZAN_EVENT": "deposit", "MIZAN_DEPOSIT_ID": record.id.description,
            "MIZAN_MATERIAL": record.material.rawValue, "MIZAN_REASON": record.reason.rawValue,
        ]
        if let net = record.net { fields["MIZAN_NET_G"] = String(net.value) }
        // The monotonic instant of the deciding sample: how late the screen
        // shows the result is measured from it (same clock, same board).
        fields["MIZAN_DECIDED_MONOTONIC_NS"] = String(record.decidedAt.nanoseconds)
        if record.reason.isCredited { fields["MIZAN_CREDIT_MINOR"] = String(record.credit) }
        if let household = record.household { fields["MIZAN_HOUSEHOLD_ID"] = String(household.rawValue) }
        return fields
    }

    static func describe(_ feedback: Feedback, currency: Currency) -> String {
        switch feedback {
        case let .sessionOpened(household): "green blinking: welcome, \(household)"
        case let .sessionClosed(household): "goodbye, \(household)"
        case let .credited(id, credit, grams, capped):
            "GREEN: \(id) credited \(currency.format(minorUnits: credit)) for \(grams.value) g\(capped ? " (daily cap reached)" : "")"
        case let .donationRecorded(id, grams): "green: \(id) donation of \(grams.value) g recorded"
        case let .depositRejected(id, reason): "RED: \(id) \(reason.englishExplanation) — \(reason.arabicExplanation)"
        case let .tapRefused(card, refusal): "RED: card \(card) refused (\(refusal.rawValue))"
        case let .commitFailed(id): "RED: \(id) could not be recorded"
        case .outOfService: "red blinking: out of service"
        case .backInService: "green: back in service"
        }
    }

    private func money(_ minorUnits: Int64) -> String {
        configuration.source.currency.format(minorUnits: minorUnits)
    }
}
