/// A deposit from the moment a lid opens until it is decided.
struct DepositInProgress: Sendable {
    let firstBin: BinID
    private(set) var binsOpened: [BinID]
    let openedAt: Instant
    /// The stable reading before anything was dropped.
    var baseline: StableReading?
    /// When the last open lid closed; nil while any lid is open.
    var settlingSince: Instant?
    /// The scale faulted (or its zero was moved) while weighing.
    var scaleFaulted: Bool
    let startedOutOfService: Bool
    /// The session open when the lid opened; nil for a donation.
    let session: SessionID?
    let household: HouseholdID?

    init(
        bin: BinID,
        at time: Instant,
        baseline: StableReading?,
        scaleFaulted: Bool,
        outOfService: Bool,
        session: SessionID?,
        household: HouseholdID?
    ) {
        firstBin = bin
        binsOpened = [bin]
        openedAt = time
        self.baseline = baseline
        self.scaleFaulted = scaleFaulted
        startedOutOfService = outOfService
        self.session = session
        self.household = household
    }

    mutating func lidOpened(_ bin: BinID) {
        if !binsOpened.contains(bin) { binsOpened.append(bin) }
        settlingSince = nil
    }

    var isAmbiguous: Bool { binsOpened.count > 1 }
}
