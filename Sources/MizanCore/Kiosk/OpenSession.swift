/// A household's session while it is open.
struct OpenSession: Sendable {
    let id: SessionID
    var account: HouseholdAccount
    let openedAt: Instant
    var lastActivityAt: Instant
    /// Set when the session must close as soon as the deposit being weighed
    /// is decided (second tap or a fault during the deposit).
    var pendingClose: SessionClosing.Reason?
    var deposits = 0
    var credit: Int64 = 0
    var creditedGrams: Int64 = 0

    init(id: SessionID, account: HouseholdAccount, openedAt: Instant) {
        self.id = id
        self.account = account
        self.openedAt = openedAt
        self.lastActivityAt = openedAt
    }
}
