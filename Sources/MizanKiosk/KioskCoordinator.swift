public import Logging
public import MizanCore
public import MizanLedger

/// The kiosk, wired once: the state machine, the decisions carried out
/// against the book, card look-up, the local day's rollover, price
/// versions, the fault log, service mode and the ledger's health. It takes
/// device inputs and the time as values and says, as effects, what the
/// outputs and the scale must do. The daemon runs it on its kiosk thread;
/// the replay tier and the core tests on a virtual clock.
public final class KioskCoordinator {
    public let configuration: ValidatedKioskConfiguration
    public let book: any KioskBook
    private let logger: Logger
    private var kiosk: KioskStateMachine
    private let executor: DecisionExecutor
    /// The local day being capped in, and its UTC bounds [start, end) in ms.
    private var day: LocalDay
    private var dayBounds: (start: Int64, end: Int64)
    public private(set) var priceVersion: Int64?
    private var lastPriceCheck: Instant
    private var faultLog = FaultLog()
    private var ledgerWatch = LedgerWatch()
    /// The last card tapped: who it belonged to and when (for technicians).
    public private(set) var lastCard: (card: CardUID, holder: String, at: WallClockTime)?
    /// When each lid last changed (wall clock).
    public private(set) var lidChangedAt: [BinID: WallClockTime] = [:]
    /// Sessions a crash had left open, closed when the coordinator started.
    public let interruptedSessions: [String]

    /// Opens the kiosk on `book` at `moment`: sessions a crash left open
    /// are closed, sequences continue, the prices in force apply.
    public init(
        configuration: ValidatedKioskConfiguration, book: any KioskBook, at moment: KioskMoment, logger: Logger
    ) throws(LedgerError) {
        self.configuration = configuration
        self.book = book
        self.logger = logger
        interruptedSessions = try book.closeInterruptedSessions(at: moment.clock)
        if !interruptedSessions.isEmpty {
            logger.warning(
                "closed sessions interrupted by a crash or power cut: \(interruptedSessions.joined(separator: ", "))")
        }
        let sequences = try book.nextSequences()
        let prices = try book.prices(at: moment.clock.wall)
        priceVersion = prices?.version
        kiosk = KioskStateMachine(
            configuration: configuration, nextDepositSequence: sequences.deposit,
            nextSessionSequence: sequences.session, prices: prices
        )
        day = book.calendar.day(of: moment.clock.wall)
        dayBounds = book.calendar.interval(of: day)
        lastPriceCheck = moment.monotonic
        executor = DecisionExecutor(book: book, configuration: configuration, clock: moment.clock, logger: logger)
    }

    // MARK: What the kiosk is doing

    public var status: KioskStatus { kiosk.status }
    public var activeFaults: Set<KioskFault> { kiosk.activeFaults }
    /// Why the ledger cannot be written, while it cannot.
    public var ledgerProblem: String? { ledgerWatch.problem }
    /// Every commit or session write the book refused.
    public var failures: [String] { executor.failures }

    /// Logs how long each commit took after the sample that decided it
    /// (a real clock only: virtual time has no latency).
    public func measureCommitLatency(with now: @escaping () -> Instant) {
        executor.monotonicNow = now
    }

    /// Every decision of the state machine as it is carried out (tests).
    public func observeDecisions(_ observer: @escaping (KioskDecision) -> Void) {
        executor.onDecision = observer
    }

    // MARK: Device inputs

    @discardableResult
    public func weighing(_ event: WeighingEvent, at moment: KioskMoment) -> [KioskEffect] {
        turn(moment) { handle(.weighing(event), moment) }
    }

    /// A card the reader saw (one tap per presence); looked up in the book.
    @discardableResult
    public func cardTapped(_ card: CardUID, tappedAt: Instant, at moment: KioskMoment) -> [KioskEffect] {
        turn(moment) {
            do {
                let lookup = try book.lookup(card: card, at: moment.clock)
                logger.log(.info, "card \(card) tapped", ["MIZAN_EVENT": "card", "MIZAN_CARD": card.description])
                lastCard = (card, Self.describe(lookup), moment.clock.wall)
                handle(.cardTapped(CardTap(card: card, lookup: lookup, at: tappedAt)), moment)
            } catch {
                logger.error("looking up card \(card): \(error)")
                handle(.faultRaised(.ledger, at: moment.monotonic), moment)
            }
        }
    }

    /// A debounced lid change.
    @discardableResult
    public func lid(_ bin: BinID, open: Bool, changedAt: Instant, at moment: KioskMoment) -> [KioskEffect] {
        turn(moment) {
            lidChangedAt[bin] = moment.clock.wall
            logger.log(
                .info, "lid \(bin) \(open ? "opened" : "closed")",
                [
                    "MIZAN_EVENT": "lid", "MIZAN_BIN": bin.rawValue, "MIZAN_LID": open ? "open" : "closed",
                ])
            handle(open ? .lidOpened(bin, at: changedAt) : .lidClosed(bin, at: changedAt), moment)
        }
    }

    /// A device lost or back (scale, card reader, lid sensors, outputs).
    @discardableResult
    public func fault(_ fault: KioskFault, raised: Bool, at moment: KioskMoment) -> [KioskEffect] {
        turn(moment) {
            handle(
                raised ? .faultRaised(fault, at: moment.monotonic) : .faultCleared(fault, at: moment.monotonic), moment)
        }
    }

    /// Time passes: timeouts, a price version whose time has come, the
    /// ledger's health, the fault log.
    @discardableResult
    public func tick(at moment: KioskMoment) -> [KioskEffect] {
        turn(moment) {
            handle(.tick(moment.monotonic), moment)
            if moment.monotonic - lastPriceCheck >= .seconds(60) {
                reloadPrices(at: moment, quietly: true)
            }
            switch ledgerWatch.check(
                book, faulted: kiosk.activeFaults.contains(.ledger), at: moment.monotonic, logger: logger)
            {
            case .lost: handle(.faultRaised(.ledger, at: moment.monotonic), moment)
            case .writableAgain: handle(.faultCleared(.ledger, at: moment.monotonic), moment)
            case nil: break
            }
        }
    }

    /// The state machine's next timeout (a lid stuck open, a deposit
    /// settled, a session idle), if one is running.
    public var nextTimeout: Instant? { kiosk.nextDeadline }

    /// When `tick` next has work: the next timeout, or the ledger's
    /// once-a-second check of its file, whichever comes first.
    public func nextTickDue(after now: Instant) -> Instant {
        let ledgerCheck = now + .seconds(1)
        return min(nextTimeout ?? ledgerCheck, ledgerCheck)
    }

    // MARK: Technicians

    /// Service mode: out of service so the bins can be emptied.
    @discardableResult
    public func beginService(at moment: KioskMoment) -> [KioskEffect] {
        turn(moment) { handle(.faultRaised(.serviceMode, at: moment.monotonic), moment) }
    }

    /// Service mode ends: zero is set again at the next rest, then back in service.
    @discardableResult
    public func endService(at moment: KioskMoment) -> [KioskEffect] {
        turn(moment) {
            executor.effects.append(.reestablishZero)
            handle(.faultCleared(.serviceMode, at: moment.monotonic), moment)
        }
    }

    /// Prices read again from the book; returns the version in force.
    @discardableResult
    public func reloadPrices(at moment: KioskMoment) -> (version: Int64?, effects: [KioskEffect]) {
        let effects = turn(moment) { reloadPrices(at: moment, quietly: false) }
        return (priceVersion, effects)
    }

    /// Graceful stop: what can be finished is, the session is closed.
    @discardableResult
    public func shutdown(at moment: KioskMoment) -> [KioskEffect] {
        turn(moment) { handle(.shutdown(at: moment.monotonic), moment) }
    }

    /// Any input, as the state machine takes it (tests of its rules).
    @discardableResult
    public func handle(_ input: KioskInput, at moment: KioskMoment) -> [KioskEffect] {
        turn(moment) { handle(input, moment) }
    }

    // MARK: The turn

    /// Every entry point is one turn: the wall clock is the moment's, a new
    /// local day restarts the caps before anything of the turn is decided,
    /// and the faults it raised or cleared go to the fault log.
    private func turn(_ moment: KioskMoment, _ body: () -> Void) -> [KioskEffect] {
        executor.clock = moment.clock
        rollOverDay(moment)
        body()
        faultLog.record(kiosk.activeFaults, in: book, at: moment.clock, logger: logger)
        defer { executor.effects.removeAll() }
        return executor.effects
    }

    private func handle(_ input: KioskInput, _ moment: KioskMoment) {
        executor.handle(input, on: &kiosk, now: moment.monotonic)
    }

    /// The day's bounds are kept: most turns are one comparison, not a
    /// calendar computation (the daemon turns for every scale reading).
    private func rollOverDay(_ moment: KioskMoment) {
        let wall = moment.clock.wall.millisecondsSinceEpoch
        guard !(dayBounds.start..<dayBounds.end).contains(wall) else { return }
        let today = book.calendar.day(of: moment.clock.wall)
        dayBounds = book.calendar.interval(of: today)
        guard today != day else { return }
        day = today
        handle(.localDayChanged(today), moment)
    }

    private func reloadPrices(at moment: KioskMoment, quietly: Bool) {
        lastPriceCheck = moment.monotonic
        let table: PriceTable?
        do {
            table = try book.prices(at: moment.clock.wall)
        } catch {
            logger.error("prices: \(error)")
            return
        }
        guard let table, table.version != priceVersion || !quietly else { return }
        priceVersion = table.version
        handle(.pricesChanged(table), moment)
        logger.notice("prices: version \(table.version) in force")
    }

    /// What a household was shown, in words for the log.
    public func describe(_ feedback: Feedback) -> String {
        DecisionExecutor.describe(feedback, currency: configuration.source.currency)
    }

    static func describe(_ lookup: CardLookup) -> String {
        switch lookup {
        case .unknown: "unknown"
        case let .blocked(household): "blocked household \(household.rawValue)"
        case let .active(account): "household \(account.id.rawValue)"
        }
    }
}
