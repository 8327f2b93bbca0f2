import Foundation
public import MizanCore
public import MizanLedger

/// The fast tier: replays a trace deterministically on virtual time through
/// the weighing engine, the kiosk state machine and a real ledger file,
/// wired the way the daemon wires them, and writes a readable account.
public final class ReplayKiosk {
    public let configuration: ValidatedKioskConfiguration
    public let ledger: Ledger
    /// Wall-clock time of the trace's start.
    public let wallStart: WallClockTime
    private var engine: WeighingEngine
    private var kiosk: KioskStateMachine
    private var debouncers: [BinID: Debouncer] = [:]
    private var presence: CardPresenceFilter
    private var now: Instant = .origin
    /// How far the wall clock has been moved from the trace's start.
    private var wallOffsetMilliseconds: Int64 = 0
    public private(set) var account: [String] = []
    public private(set) var failures: [String] = []
    /// What households were shown, in order.
    public private(set) var feedback: [Feedback] = []
    /// Every fault that took the kiosk out of service, in order.
    public private(set) var faultsRaised: [KioskFault] = []
    /// Close reasons of every session, in order (`interrupted` for those
    /// closed at start-up after a kill).
    public private(set) var sessionsClosed: [String] = []

    public var inService: Bool { kiosk.status.inService }

    public init(configuration: ValidatedKioskConfiguration, ledger: Ledger, wallStart: WallClockTime) throws(LedgerError) {
        self.configuration = configuration
        self.ledger = ledger
        self.wallStart = wallStart
        engine = WeighingEngine(configuration: configuration.weighing, calibration: nil, startedAt: .origin)
        let sequences = try ledger.nextSequences()
        let wall = wallStart
        kiosk = KioskStateMachine(
            configuration: configuration, nextDepositSequence: sequences.deposit, nextSessionSequence: sequences.session,
            prices: try ledger.priceSchedule().active(at: wall)
        )
        presence = CardPresenceFilter(gap: configuration.source.cardPresenceGap)
        for bin in configuration.source.bins {
            debouncers[bin.id] = Debouncer(interval: .milliseconds(20), initialLevel: false)
        }
    }

    private func clock(_ time: Instant) -> LedgerClockReading {
        LedgerClockReading(
            wall: WallClockTime(millisecondsSinceEpoch: wallStart.millisecondsSinceEpoch + wallOffsetMilliseconds + time.nanoseconds / 1_000_000),
            synchronized: true
        )
    }

    public func run(_ events: [TraceEvent]) {
        for event in events {
            advance(to: event.time)
            if let milligrams = event.scaleMilligrams {
                var produced: [WeighingEvent] = []
                engine.ingest(Milligrams(milligrams), at: event.time) { produced.append($0) }
                for weighing in produced { handle(.weighing(weighing)) }
            } else if let lid = event.lid, let open = event.open {
                let bin = BinID(rawValue: lid)
                if let change = debouncers[bin]?.edge(to: open, at: event.time) { lidChanged(bin, change) }
            } else if let text = event.card, let card = CardUID(text), presence.frame(card, at: event.time) {
                tapped(card, at: event.time)
            } else if let jump = event.wallJumpMilliseconds {
                wallOffsetMilliseconds += jump
                log(event.time, "wall clock jumped \(jump) ms")
            } else if event.restart == true {
                restart(at: event.time)
            } else if let begin = event.service {
                service(begin, at: event.time)
            }
        }
        advance(to: now + .seconds(1))
        handle(.shutdown(at: now))
    }

    /// The daemon was killed (no orderly shutdown) and starts again on the
    /// same ledger: interrupted sessions are closed, sequences continue.
    private func restart(at time: Instant) {
        log(time, "daemon killed and restarted")
        do {
            let closed = try ledger.closeInterruptedSessions(at: clock(time))
            if !closed.isEmpty { log(time, "closed interrupted sessions: \(closed.joined(separator: ", "))") }
            sessionsClosed += closed.map { _ in "interrupted" }
            let sequences = try ledger.nextSequences()
            engine = WeighingEngine(configuration: configuration.weighing, calibration: nil, startedAt: time)
            kiosk = KioskStateMachine(
                configuration: configuration, nextDepositSequence: sequences.deposit, nextSessionSequence: sequences.session,
                prices: try ledger.priceSchedule().active(at: clock(time).wall)
            )
            presence = CardPresenceFilter(gap: configuration.source.cardPresenceGap)
        } catch {
            failures.append("restarting: \(error)")
        }
    }

    private func service(_ begin: Bool, at time: Instant) {
        log(time, begin ? "service mode begins" : "service mode ends")
        if begin {
            handle(.faultRaised(.serviceMode, at: time))
        } else {
            var produced: [WeighingEvent] = []
            engine.reestablishZero(at: time) { produced.append($0) }
            for weighing in produced { handle(.weighing(weighing)) }
            handle(.faultCleared(.serviceMode, at: time))
        }
    }

    private func advance(to time: Instant) {
        guard time >= now else { return }
        now = time
        var produced: [WeighingEvent] = []
        engine.tick(at: time) { produced.append($0) }
        for weighing in produced { handle(.weighing(weighing)) }
        for bin in debouncers.keys.sorted() {
            if let change = debouncers[bin]?.tick(at: time) { lidChanged(bin, change) }
        }
        handle(.tick(time))
    }

    private func lidChanged(_ bin: BinID, _ change: Debouncer.Change) {
        log(change.at, "lid \(bin) \(change.level ? "opened" : "closed")")
        handle(change.level ? .lidOpened(bin, at: change.at) : .lidClosed(bin, at: change.at))
    }

    private func tapped(_ card: CardUID, at time: Instant) {
        do {
            let lookup = try ledger.lookup(card: card, at: clock(time))
            log(time, "card \(card) tapped")
            handle(.cardTapped(CardTap(card: card, lookup: lookup, at: time)))
        } catch {
            failures.append("looking up \(card): \(error)")
        }
    }

    /// Carries out the state machine's decisions in order, as the daemon does.
    private func handle(_ input: KioskInput) {
        var queue = [input]
        while !queue.isEmpty {
            for decision in kiosk.handle(queue.removeFirst()) {
                if let next = execute(decision) { queue.append(next) }
            }
        }
    }

    private func execute(_ decision: KioskDecision) -> KioskInput? {
        do {
            switch decision {
            case let .openSession(opening):
                try ledger.recordSessionOpened(opening, at: clock(opening.at))
                log(opening.at, "session \(opening.id) opened for \(opening.household) (card \(opening.card))")
            case let .closeSession(closing):
                try ledger.recordSessionClosed(closing, at: clock(closing.at))
                sessionsClosed.append(closing.reason.rawValue)
                log(closing.at, "session \(closing.id) closed (\(closing.reason.rawValue)): \(closing.deposits) deposits, \(closing.creditedGrams.value) g, credit \(money(closing.credit))")
            case let .commitDeposit(record):
                do {
                    try ledger.commitDeposit(record, at: clock(record.decidedAt))
                    log(record.decidedAt, describe(record))
                    return .depositCommitted(record.id, at: record.decidedAt)
                } catch {
                    failures.append("committing \(record.id): \(error)")
                    return .depositCommitFailed(record.id, at: record.decidedAt)
                }
            case let .feedback(feedback):
                self.feedback.append(feedback)
                log(now, "feedback: \(describe(feedback))")
            case let .outOfService(faults, time):
                faultsRaised += faults.filter { !faultsRaised.contains($0) }
                log(time, "OUT OF SERVICE: \(faults.map(\.description).joined(separator: ", "))")
            case let .backInService(time):
                log(time, "back in service")
            case let .scaleIdle(idle):
                engine.setIdle(idle)
            }
        } catch {
            failures.append("\(decision): \(error)")
        }
        return nil
    }

    private func describe(_ record: DepositRecord) -> String {
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

    private func describe(_ feedback: Feedback) -> String {
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

    private func log(_ time: Instant, _ text: String) {
        account.append("\(time)  \(text)")
    }
}
