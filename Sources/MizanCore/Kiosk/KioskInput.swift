/// Everything that can happen to the kiosk, as a value with its time.
public enum KioskInput: Hashable, Sendable {
    case weighing(WeighingEvent)
    case cardTapped(CardTap)
    case lidOpened(BinID, at: Instant)
    case lidClosed(BinID, at: Instant)
    /// Time passes: timeouts (settle, idle, stuck lid) are checked.
    case tick(Instant)
    /// The ledger committed (or already had) the deposit.
    case depositCommitted(DepositID, at: Instant)
    /// The ledger refused the deposit. `idUnused`: nothing with its id is in
    /// the ledger, so the id is given back to the next deposit and the
    /// sequence keeps no gap; false when the id is taken (a fork).
    case depositCommitFailed(DepositID, at: Instant, idUnused: Bool)
    /// Faults that do not come from the weighing engine.
    case faultRaised(KioskFault, at: Instant)
    case faultCleared(KioskFault, at: Instant)
    /// The price table now in force (nil: none, every deposit `no_price`).
    case pricesChanged(PriceTable?)
    /// The kiosk's local day rolled over: daily caps start again.
    case localDayChanged(LocalDay)
    /// Graceful stop: finish what can be finished and close the session.
    case shutdown(at: Instant)
}

/// What the daemon must do, in order.
public enum KioskDecision: Hashable, Sendable {
    case openSession(SessionOpening)
    case closeSession(SessionClosing)
    case commitDeposit(DepositRecord)
    case feedback(Feedback)
    case outOfService([KioskFault], at: Instant)
    case backInService(at: Instant)
    /// Whether zero-tracking may run (no lid open, no deposit being weighed).
    case scaleIdle(Bool)
}

public struct SessionOpening: Hashable, Sendable {
    public let id: SessionID
    public let household: HouseholdID
    public let card: CardUID
    public let at: Instant

    public init(id: SessionID, household: HouseholdID, card: CardUID, at: Instant) {
        self.id = id
        self.household = household
        self.card = card
        self.at = at
    }
}

public struct SessionClosing: Hashable, Sendable {
    public enum Reason: String, Hashable, Sendable, Codable {
        case cardTappedAgain = "card_tapped_again"
        case idleTimeout = "idle_timeout"
        case outOfService = "out_of_service"
        case shutdown
    }

    public let id: SessionID
    public let household: HouseholdID
    public let reason: Reason
    public let at: Instant
    public let deposits: Int
    public let credit: Int64
    public let creditedGrams: Grams

    public init(
        id: SessionID, household: HouseholdID, reason: Reason, at: Instant, deposits: Int, credit: Int64,
        creditedGrams: Grams
    ) {
        self.id = id
        self.household = household
        self.reason = reason
        self.at = at
        self.deposits = deposits
        self.credit = credit
        self.creditedGrams = creditedGrams
    }
}
