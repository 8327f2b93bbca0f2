/// A snapshot of the session and deposit logic, for status and diagnostics.
public struct KioskStatus: Hashable, Sendable {
    public enum DepositPhase: String, Hashable, Sendable {
        case none
        /// A lid is open.
        case lidOpen = "lid_open"
        /// Every lid is closed; waiting for the scale to settle.
        case settling
    }

    public let inService: Bool
    public let faults: [KioskFault]
    public let session: SessionID?
    public let household: HouseholdID?
    public let depositPhase: DepositPhase
    public let openLids: [BinID]
    public let depositsAwaitingCommit: Int
    public let priceVersion: Int64?
}
