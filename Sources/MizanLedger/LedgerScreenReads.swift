import GRDB
public import MizanCore

/// A committed deposit as the household screen shows it.
public struct DepositOutcome: Sendable, Hashable {
    public let id: String
    public let session: String?
    public let household: HouseholdID?
    public let bin: String
    public let material: String
    public let netGrams: Int64?
    public let credit: Int64
    public let reason: DepositReason
}

/// The reads behind the household screen (web process, read-only): each
/// answers from committed rows only, so nothing appears on the screen
/// before the ledger has it.
extension Ledger {
    public func household(id: HouseholdID) throws(LedgerError) -> Household? {
        try read("looking up \(id)") { db in
            try Row.fetchOne(db, sql: "SELECT * FROM households WHERE id = ?", arguments: [id.rawValue]).flatMap(
                Self.household(from:))
        }
    }

    /// The deposit with this id, nil until it is committed.
    public func depositOutcome(id: String) throws(LedgerError) -> DepositOutcome? {
        try read("reading deposit \(id)") { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: """
                        SELECT id, session_id, household_id, bin, material, net_g, credit, reason
                        FROM deposits WHERE id = ?
                        """, arguments: [id]),
                let reason = DepositReason(rawValue: row["reason"])
            else { return nil }
            return DepositOutcome(
                id: row["id"], session: row["session_id"],
                household: (row["household_id"] as Int64?).map(HouseholdID.init),
                bin: row["bin"], material: row["material"], netGrams: row["net_g"], credit: row["credit"],
                reason: reason)
        }
    }

    /// What a household's session has been credited so far (committed
    /// deposits only), through the household's index rather than a scan.
    public func sessionCredit(_ session: String, of household: HouseholdID) throws(LedgerError) -> Int64 {
        try read("reading the credit of session \(session)") { db in
            try Int64.fetchOne(
                db,
                sql: "SELECT COALESCE(SUM(credit), 0) FROM deposits WHERE household_id = ? AND session_id = ?",
                arguments: [household.rawValue, session]) ?? 0
        }
    }
}
