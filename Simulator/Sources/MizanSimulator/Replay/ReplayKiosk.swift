import Foundation
public import MizanCore
public import MizanLedger
import MizanDaemon

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
    private var executor: DecisionExecutor!
    /// How far the wall clock has been moved from the trace's start.
    private var wallOffsetMilliseconds: Int64 = 0
    public private(set) var account: [String] = []
    private var ownFailures: [String] = []
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
        executor = DecisionExecutor(
            ledger: ledger, configuration: configuration, clock: { [unowned self] in clock($0) },
            log: { [unowned self] time, text, _ in log(time, text) }
        )
        executor.onFeedback = { [unowned self] feedback, _ in self.feedback.append(feedback) }
        executor.onScaleIdle = { [unowned self] idle in engine.setIdle(idle) }
        executor.onOutOfService = { [unowned self] faults, _ in faultsRaised += faults.filter { !faultsRaised.contains($0) } }
        executor.onSessionClosed = { [unowned self] closing in sessionsClosed.append(closing.reason.rawValue) }
    }

    public var failures: [String] { ownFailures + executor.failures }

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
            ownFailures.append("restarting: \(error)")
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
            ownFailures.append("looking up \(card): \(error)")
        }
    }

    /// Carries out the state machine's decisions in order, as the daemon does.
    private func handle(_ input: KioskInput) {
        executor.handle(input, on: &kiosk, now: now)
    }

    private func log(_ time: Instant, _ text: String) {
        account.append("\(time)  \(text)")
    }
}
