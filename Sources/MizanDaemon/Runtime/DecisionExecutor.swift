public import MizanCore
public import MizanLedger

/// Carries out the kiosk state machine's decisions, in order, against the
/// ledger, and says what happened in plain words. Shared by the daemon and
/// the simulator's replay, so both wire the kiosk the same way.
public final class DecisionExecutor {
    public let ledger: Ledger
    private let configuration: ValidatedKioskConfiguration
    private let clock: (Instant) -> LedgerClockReading
    /// A line for people, with structured fields for the journal.
    private let log: (Instant, String, LogFields) -> Void
    /// Called for every feedback after the decision that caused it.
    public var onFeedback: (Feedback, Instant) -> Void = { _, _ in }
    public var onScaleIdle: (Bool) -> Void = { _ in }
    public var onOutOfService: ([KioskFault], Instant) -> Void = { _, _ in }
    public var onBackInService: (Instant) -> Void = { _ in }
    public var onSessionClosed: (SessionClosing) -> Void = { _ in }
    /// When set (a real clock), each commit's latency from the sample that
    /// decided the deposit is logged, for the benchmark and for technicians.
    public var monotonicNow: (() -> Instant)?
    public private(set) var failures: [String] = []

    public init(
        ledger: Ledger,
        configuration: ValidatedKioskConfiguration,
        clock: @escaping (Instant) -> LedgerClockReading,
        log: @escaping (Instant, String, LogFields) -> Void
    ) {
        self.ledger = ledger
        self.configuration = configuration
        self.clock = clock
        self.log = log
    }

    /// Feeds `input` to the state machine and carries out every decision,
    /// including those that follow a commit's acknowledgement.
    public func handle(_ input: KioskInput, on kiosk: inout KioskStateMachine, now: Instant) {
        var queue = [input]
        while !queue.isEmpty {
            for decision in kiosk.handle(queue.removeFirst()) {
                if let next = execute(decision, now: now) { queue.append(next) }
            }
        }
    }

    private func execute(_ decision: KioskDecision, now: Instant) -> KioskInput? {
        do {
            switch decision {
            case let .openSession(opening):
                try ledger.recordSessionOpened(opening, at: clock(opening.at))
                log(opening.at, "session \(opening.id) opened for \(opening.household) (card \(opening.card))", [
                    "MIZAN_EVENT": "session_opened", "MIZAN_SESSION_ID": opening.id.description,
                    "MIZAN_HOUSEHOLD_ID": String(opening.household.rawValue), "MIZAN_CARD": opening.card.description,
                ])
            case let .closeSession(closing):
                try ledger.recordSessionClosed(closing, at: clock(closing.at))
                onSessionClosed(closing)
                log(closing.at, "session \(closing.id) closed (\(closing.reason.rawValue)): \(closing.deposits) deposits, \(closing.creditedGrams.value) g, credit \(money(closing.credit))", [
                    "MIZAN_EVENT": "session_closed", "MIZAN_SESSION_ID": closing.id.description, "MIZAN_REASON": closing.reason.rawValue,
                ])
            case let .commitDeposit(record):
                do {
                    try ledger.commitDeposit(record, at: clock(record.decidedAt))
                    log(record.decidedAt, describe(record), fields(record))
                    if let monotonicNow {
                        let latency = monotonicNow() - record.decidedAt
                        log(record.decidedAt, "deposit \(record.id) committed \(latency.nanoseconds / 1_000) µs after the sample that decided it", [
                            "MIZAN_EVENT": "commit_latency", "MIZAN_DEPOSIT_ID": record.id.description, "MIZAN_LATENCY_US": String(latency.nanoseconds / 1_000),
                        ])
                    }
                    return .depositCommitted(record.id, at: record.decidedAt)
                } catch {
                    failures.append("committing \(record.id): \(error)")
                    let idUnused = error.kind != .fork
                    log(record.decidedAt, "deposit \(record.id) NOT recorded: \(error)", [
                        "MIZAN_EVENT": "commit_failed", "MIZAN_DEPOSIT_ID": record.id.description, "MIZAN_ERROR": error.description,
                    ])
                    return .depositCommitFailed(record.id, at: record.decidedAt, idUnused: idUnused)
                }
            case let .feedback(feedback):
                log(now, "feedback: \(describe(feedback))", ["MIZAN_EVENT": "feedback"])
                onFeedback(feedback, now)
            case let .outOfService(faults, time):
                onOutOfService(faults, time)
                log(time, "OUT OF SERVICE: \(faults.map(\.description).joined(separator: ", "))", [
                    "MIZAN_EVENT": "out_of_service", "MIZAN_FAULTS": faults.map(\.description).joined(separator: ","),
                ])
            case let .backInService(time):
                onBackInService(time)
                log(time, "back in service", ["MIZAN_EVENT": "back_in_service"])
            case let .scaleIdle(idle):
                onScaleIdle(idle)
            }
        } catch {
            failures.append("\(decision): \(error)")
            log(now, "ledger error: \(error)", ["MIZAN_EVENT": "ledger_error"])
            // A session the ledger could not record: out of service until
            // the ledger takes writes again.
            return .faultRaised(.ledger, at: now)
        }
        return nil
    }

    public func describe(_ record: DepositRecord) -> String {
        let material = configuration.materialsByID[record.material]
        let name = material.map { "\($0.nameEnglish) \($0.nameArabic)" } ?? record.material.rawValue
        let net = record.net.map { "\($0.value) g" } ?? "no stable mass"
        var text = "deposit \(record.id) \(name): \(net) → \(record.reason.rawValue)"
        if record.reason.isCredited {
            text += ", credit \(money(record.credit)) at \(record.ratePerKilogram ?? 0)/kg (carry \(record.carryOut.thousandths)/1000)"
        }
        if let household = record.household { text += " [\(household)]" }
        return text
    }

    /// The journal's fields for a deposit.
    public func fields(_ record: DepositRecord) -> LogFields {
        var fields = [
            "MIZAN_EVENT": "deposit", "MIZAN_DEPOSIT_ID": record.id.description,
            "MIZAN_MATERIAL": record.material.rawValue, "MIZAN_REASON": record.reason.rawValue,
        ]
        if let net = record.net { fields["MIZAN_NET_G"] = String(net.value) }
        if record.reason.isCredited { fields["MIZAN_CREDIT_MINOR"] = String(record.credit) }
        if let household = record.household { fields["MIZAN_HOUSEHOLD_ID"] = String(household.rawValue) }
        return fields
    }

    public func describe(_ feedback: Feedback) -> String {
        switch feedback {
        case let .sessionOpened(household): "green blinking: welcome, \(household)"
        case let .sessionClosed(household): "goodbye, \(household)"
        case let .credited(id, credit, grams, capped): "GREEN: \(id) credited \(money(credit)) for \(grams.value) g\(capped ? " (daily cap reached)" : "")"
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
