/// What the household is shown and told (LEDs and buzzer today; a screen
/// may come later). The daemon maps each case to a light and sound pattern.
public enum Feedback: Hashable, Sendable {
    case sessionOpened(HouseholdID)
    case sessionClosed(HouseholdID)
    /// Given only once the ledger has committed the deposit.
    case credited(DepositID, credit: Int64, grams: Grams, capped: Bool)
    case donationRecorded(DepositID, grams: Grams)
    case depositRejected(DepositID, DepositReason)
    case tapRefused(CardUID, TapRefusal)
    /// The ledger could not record a deposit: nothing was credited.
    case commitFailed(DepositID)
    case outOfService
    case backInService
}

public enum TapRefusal: String, Hashable, Sendable, Codable {
    case unknownCard = "unknown_card"
    case blockedCard = "blocked_card"
    case outOfService = "out_of_service"
    case anotherSessionOpen = "another_session_open"
}
