/// The session and deposit logic of the kiosk: from taps, lids, stable
/// readings and faults to decisions (open or close a session, commit a
/// deposit, light green or red). Pure: it reads no clock and does no I/O;
/// the daemon feeds it inputs and carries out its decisions in order.
///
/// "Green means committed": a deposit's feedback is decided only when the
/// daemon reports back that the ledger has committed it.
public struct KioskStateMachine: Sendable {
    public let configuration: ValidatedKioskConfiguration
    private var nextDepositSequence: Int64
    private var nextSessionSequence: Int64
    private var prices: PriceTable?
    private var scaleIsStable = false
    private var lastStable: StableReading?
    private var faults: Set<KioskFault> = []
    private var session: OpenSession?
    private var openLids: [BinID: Instant] = [:]
    private var lidsReportedStuck: Set<BinID> = []
    private var deposit: DepositInProgress?
    private var awaitingCommit: [DepositID: DepositRecord] = [:]

    /// - Parameters:
    ///   - nextDepositSequence: one past the highest deposit sequence the
    ///     ledger holds for this kiosk, so ids stay unique across restarts.
    ///   - nextSessionSequence: the same for sessions.
    public init(
        configuration: ValidatedKioskConfiguration,
        nextDepositSequence: Int64 = 1,
        nextSessionSequence: Int64 = 1,
        prices: PriceTable?
    ) {
        self.configuration = configuration
        self.nextDepositSequence = nextDepositSequence
        self.nextSessionSequence = nextSessionSequence
        self.prices = prices
    }

    public mutating func handle(_ input: KioskInput) -> [KioskDecision] {
        var decisions: [KioskDecision] = []
        switch input {
        case let .weighing(event):
            weighing(event, &decisions)
        case let .cardTapped(tap):
            cardTapped(tap, &decisions)
        case let .lidOpened(bin, time):
            lidOpened(bin, at: time, &decisions)
        case let .lidClosed(bin, time):
            lidClosed(bin, at: time, &decisions)
        case let .tick(time):
            tick(at: time, &decisions)
        case let .depositCommitted(id, _):
            depositCommitted(id, &decisions)
        case let .depositCommitFailed(id, time, idUnused):
            if let record = awaitingCommit.removeValue(forKey: id) {
                forget(record, idUnused: idUnused)
                decisions.append(.feedback(.commitFailed(id)))
                raise(.ledger, at: time, &decisions)
            }
        case let .faultRaised(fault, time):
            raise(fault, at: time, &decisions)
        case let .faultCleared(fault, time):
            clear(fault, at: time, &decisions)
        case let .pricesChanged(table):
            prices = table
        case .localDayChanged:
            session?.account.usageToday = .zero
        case let .shutdown(time):
            if let deposit {
                decide(deposit, final: nil, interrupted: true, at: time, &decisions)
            }
            if session != nil { closeSession(.shutdown, at: time, &decisions) }
        }
        return decisions
    }

    /// Why the kiosk is out of service, without building a whole status:
    /// the daemon's loop asks every turn.
    public var activeFaults: Set<KioskFault> { faults }

    public var status: KioskStatus {
        let phase: KioskStatus.DepositPhase =
            deposit == nil ? .none : (deposit?.settlingSince == nil ? .lidOpen : .settling)
        return KioskStatus(
            inService: faults.isEmpty,
            faults: faults.sorted(),
            session: session?.id,
            household: session?.account.id,
            depositPhase: phase,
            openLids: openLids.keys.sorted(),
            depositsAwaitingCommit: awaitingCommit.count,
            priceVersion: prices?.version
        )
    }

    // MARK: Scale

    private mutating func weighing(_ event: WeighingEvent, _ decisions: inout [KioskDecision]) {
        switch event {
        case let .stable(reading):
            lastStable = reading
            scaleIsStable = true
            guard var current = deposit else { return }
            if let closedAt = current.settlingSince {
                // Only a window that began after the lid closed can hold the
                // final mass: earlier ones may predate the last item.
                if reading.windowStart >= closedAt {
                    decide(current, final: reading, interrupted: false, at: reading.windowEnd, &decisions)
                }
            } else if current.baseline == nil {
                current.baseline = reading
                deposit = current
            }
        case .motion:
            scaleIsStable = false
        case let .zeroAdjusted(adjustment):
            // Zero moving under a deposit would change its net mass.
            if adjustment.cause != .tracking { deposit?.scaleFaulted = true }
        case let .faultRaised(fault, time):
            scaleIsStable = false
            deposit?.scaleFaulted = true
            raise(.scale(fault), at: time, &decisions)
            if let current = deposit, current.settlingSince != nil {
                decide(current, final: nil, interrupted: false, at: time, &decisions)
            }
        case let .faultCleared(fault, time):
            clear(.scale(fault), at: time, &decisions)
        }
    }

    // MARK: Cards and sessions

    private mutating func cardTapped(_ tap: CardTap, _ decisions: inout [KioskDecision]) {
        if var open = session {
            guard tap.card == open.account.card else {
                decisions.append(.feedback(.tapRefused(tap.card, .anotherSessionOpen)))
                return
            }
            guard open.pendingClose == nil else { return }
            if deposit != nil {
                open.pendingClose = .cardTappedAgain
                session = open
            } else {
                closeSession(.cardTappedAgain, at: tap.at, &decisions)
            }
            return
        }
        guard faults.isEmpty else {
            decisions.append(.feedback(.tapRefused(tap.card, .outOfService)))
            return
        }
        switch tap.lookup {
        case .unknown:
            decisions.append(.feedback(.tapRefused(tap.card, .unknownCard)))
        case .blocked:
            decisions.append(.feedback(.tapRefused(tap.card, .blockedCard)))
        case let .active(account):
            let id = SessionID(kioskID: configuration.kioskID, sequence: nextSessionSequence)
            nextSessionSequence += 1
            session = OpenSession(id: id, account: account, openedAt: tap.at)
            decisions.append(.openSession(SessionOpening(id: id, household: account.id, card: tap.card, at: tap.at)))
            decisions.append(.feedback(.sessionOpened(account.id)))
        }
    }

    private mutating func closeSession(
        _ reason: SessionClosing.Reason, at time: Instant, _ decisions: inout [KioskDecision]
    ) {
        guard let open = session else { return }
        session = nil
        decisions.append(
            .closeSession(
                SessionClosing(
                    id: open.id,
                    household: open.account.id,
                    reason: reason,
                    at: time,
                    deposits: open.deposits,
                    credit: open.credit,
                    creditedGrams: Grams(open.creditedGrams)
                )))
        decisions.append(.feedback(.sessionClosed(open.account.id)))
    }

    // MARK: Lids

    private mutating func lidOpened(_ bin: BinID, at time: Instant, _ decisions: inout [KioskDecision]) {
        guard configuration.binMaterials[bin] != nil, openLids[bin] == nil else { return }
        openLids[bin] = time
        guard !faults.contains(.serviceMode) else { return }
        session?.lastActivityAt = time
        if deposit != nil {
            deposit?.lidOpened(bin)
            return
        }
        let scaleFaulted = faults.contains { if case .scale = $0 { true } else { false } }
        deposit = DepositInProgress(
            bin: bin,
            at: time,
            baseline: scaleIsStable ? lastStable : nil,
            scaleFaulted: scaleFaulted,
            outOfService: !faults.isEmpty,
            session: session?.id,
            household: session?.account.id
        )
        decisions.append(.scaleIdle(false))
    }

    private mutating func lidClosed(_ bin: BinID, at time: Instant, _ decisions: inout [KioskDecision]) {
        guard openLids.removeValue(forKey: bin) != nil else { return }
        if lidsReportedStuck.remove(bin) != nil {
            clear(.lidStuckOpen(bin), at: time, &decisions)
        }
        session?.lastActivityAt = time
        guard var current = deposit, openLids.isEmpty else { return }
        current.settlingSince = time
        deposit = current
        // Nothing to wait for: a faulted or out-of-service deposit is decided
        // as soon as the lids are closed.
        if current.scaleFaulted || current.startedOutOfService {
            decide(current, final: nil, interrupted: false, at: time, &decisions)
        }
    }

    // MARK: Time

    /// The earliest moment a tick has something to decide (a lid stuck open,
    /// a deposit settled, a session idle), if any: the kiosk loop sleeps
    /// until then instead of ticking in steps. Mirrors `tick`.
    public var nextDeadline: Instant? {
        var deadlines: [Instant] = []
        if !faults.contains(.serviceMode) {
            for (bin, openedAt) in openLids where !lidsReportedStuck.contains(bin) {
                deadlines.append(openedAt + configuration.source.lidStuckTimeout)
            }
        }
        if let closedAt = deposit?.settlingSince { deadlines.append(closedAt + configuration.source.settleTimeout) }
        if let open = session, deposit == nil {
            deadlines.append(open.lastActivityAt + configuration.source.sessionIdleTimeout)
        }
        return deadlines.min()
    }

    private mutating func tick(at time: Instant, _ decisions: inout [KioskDecision]) {
        if !faults.contains(.serviceMode) {
            for (bin, openedAt) in openLids.sorted(by: { $0.key < $1.key })
            where time - openedAt >= configuration.source.lidStuckTimeout && !lidsReportedStuck.contains(bin) {
                lidsReportedStuck.insert(bin)
                raise(.lidStuckOpen(bin), at: time, &decisions)
            }
        }
        if let current = deposit, let closedAt = current.settlingSince,
            time - closedAt >= configuration.source.settleTimeout
        {
            decide(current, final: nil, interrupted: false, at: time, &decisions)
        }
        if let open = session, deposit == nil,
            time - open.lastActivityAt >= configuration.source.sessionIdleTimeout
        {
            closeSession(.idleTimeout, at: time, &decisions)
        }
    }

    // MARK: Deciding a deposit

    private mutating func decide(
        _ current: DepositInProgress,
        final: StableReading?,
        interrupted: Bool,
        at time: Instant,
        _ decisions: inout [KioskDecision]
    ) {
        deposit = nil
        let id = DepositID(kioskID: configuration.kioskID, sequence: nextDepositSequence)
        nextDepositSequence += 1
        let material = configuration.binMaterials[current.firstBin] ?? MaterialID(rawValue: current.firstBin.rawValue)
        var net: Grams?
        if let baseline = current.baseline, let final {
            net = Grams(final.indication.value - baseline.indication.value)
        }
        let account = (current.session != nil && current.session == session?.id) ? session?.account : nil
        let rate = prices?.rate(for: material)

        var reason: DepositReason
        var settlement: CreditSettlement?
        if interrupted {
            reason = .interrupted
        } else if current.startedOutOfService {
            reason = .outOfService
        } else if current.scaleFaulted {
            reason = .fault
        } else if current.isAmbiguous {
            reason = .ambiguousBin
        } else if let net {
            reason = validity(of: net) ?? .credited
            if reason == .credited {
                if let account {
                    if let rate {
                        do {
                            let settled = try CreditSettlement.settle(
                                net: net,
                                ratePerKilogram: rate,
                                carryIn: account.carry,
                                usageToday: account.usageToday,
                                caps: configuration.source.caps
                            )
                            settlement = settled
                            reason = settled.capped ? .capped : .credited
                        } catch {
                            reason = .implausible
                        }
                    } else {
                        reason = .noPrice
                    }
                } else {
                    reason = .anonymous
                }
            }
        } else {
            reason = .unstable
        }

        let carryIn = account?.carry ?? .zero
        let record = DepositRecord(
            id: id,
            session: current.session,
            household: current.household,
            bin: current.firstBin,
            material: material,
            binsOpened: current.binsOpened,
            baseline: current.baseline?.indication,
            final: final?.indication,
            net: net,
            creditedGrams: settlement?.creditedGrams ?? .zero,
            priceVersion: settlement == nil ? nil : prices?.version,
            ratePerKilogram: settlement == nil ? nil : rate,
            credit: settlement?.credit ?? 0,
            currencyCode: configuration.source.currency.code,
            carryIn: settlement?.carryIn ?? carryIn,
            carryOut: settlement?.carryOut ?? carryIn,
            reason: reason,
            lidOpenedAt: current.openedAt,
            lidClosedAt: current.settlingSince,
            decidedAt: time
        )

        if var open = session, open.id == current.session {
            open.deposits += 1
            open.lastActivityAt = time
            if let settlement {
                open.account.carry = settlement.carryOut
                open.account.usageToday.creditMinorUnits += settlement.credit
                open.account.usageToday.grams += settlement.creditedGrams.value
                open.credit += settlement.credit
                open.creditedGrams += settlement.creditedGrams.value
            }
            session = open
        }
        awaitingCommit[id] = record
        decisions.append(.commitDeposit(record))
        if openLids.isEmpty { decisions.append(.scaleIdle(true)) }
        if let pending = session?.pendingClose {
            closeSession(pending, at: time, &decisions)
        }
    }

    /// A deposit the ledger refused never happened for the household: the
    /// session's totals, carry and today's usage go back to what they were,
    /// and its id goes to the next deposit (ids are only used by commits),
    /// so the ledger's sequence has no gap to explain.
    private mutating func forget(_ record: DepositRecord, idUnused: Bool) {
        if idUnused, record.id.sequence == nextDepositSequence - 1 {
            nextDepositSequence -= 1
        }
        guard var open = session, open.id == record.session else { return }
        open.deposits -= 1
        if record.reason.isCredited {
            open.account.carry = record.carryIn
            open.account.usageToday.creditMinorUnits -= record.credit
            open.account.usageToday.grams -= record.creditedGrams.value
            open.credit -= record.credit
            open.creditedGrams -= record.creditedGrams.value
        }
        session = open
    }

    /// Why a stable net mass cannot be credited, if it cannot.
    private func validity(of net: Grams) -> DepositReason? {
        if net.value < 0 { return .negative }
        if net < configuration.minimumDeposit { return .belowMinimum }
        if net.value > configuration.source.maximumDepositGrams { return .implausible }
        return nil
    }

    private mutating func depositCommitted(_ id: DepositID, _ decisions: inout [KioskDecision]) {
        guard let record = awaitingCommit.removeValue(forKey: id) else { return }
        if record.reason.isCredited, record.credit > 0 {
            decisions.append(
                .feedback(
                    .credited(
                        id, credit: record.credit, grams: record.creditedGrams, capped: record.reason == .capped
                    )))
        } else if record.reason == .anonymous {
            decisions.append(.feedback(.donationRecorded(id, grams: record.net ?? .zero)))
        } else {
            decisions.append(.feedback(.depositRejected(id, record.reason)))
        }
    }

    // MARK: Faults

    private mutating func raise(_ fault: KioskFault, at time: Instant, _ decisions: inout [KioskDecision]) {
        let wasInService = faults.isEmpty
        guard faults.insert(fault).inserted else { return }
        decisions.append(.outOfService(faults.sorted(), at: time))
        guard wasInService else { return }
        decisions.append(.feedback(.outOfService))
        if deposit == nil {
            closeSession(.outOfService, at: time, &decisions)
        } else if session != nil, session?.pendingClose == nil {
            session?.pendingClose = .outOfService
        }
    }

    private mutating func clear(_ fault: KioskFault, at time: Instant, _ decisions: inout [KioskDecision]) {
        guard faults.remove(fault) != nil, faults.isEmpty else { return }
        decisions.append(.backInService(at: time))
        decisions.append(.feedback(.backInService))
    }
}
