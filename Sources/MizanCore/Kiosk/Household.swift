/// What the ledger knows about a tapped card, looked up by the daemon
/// before the tap reaches the state machine.
public enum CardLookup: Hashable, Sendable {
    case unknown
    case blocked(HouseholdID)
    case active(HouseholdAccount)
}

/// A household's standing at the moment its session opens.
public struct HouseholdAccount: Hashable, Sendable {
    public let id: HouseholdID
    public let card: CardUID
    /// The fraction of a minor unit owed from earlier deposits, in
    /// thousandths of a minor unit (0..<1000).
    public var carry: CreditCarry
    /// What the household has already been credited today (local day).
    public var usageToday: DailyUsage

    public init(id: HouseholdID, card: CardUID, carry: CreditCarry = .zero, usageToday: DailyUsage = .zero) {
        self.id = id
        self.card = card
        self.carry = carry
        self.usageToday = usageToday
    }
}

/// A card presented to the reader, as one tap.
public struct CardTap: Hashable, Sendable {
    public let card: CardUID
    public let lookup: CardLookup
    public let at: Instant

    public init(card: CardUID, lookup: CardLookup, at: Instant) {
        self.card = card
        self.lookup = lookup
        self.at = at
    }
}
