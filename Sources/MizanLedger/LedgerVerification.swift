import Foundation
import GRDB
import MizanCore

/// The head of the journal chain: a cooperative keeps it with its report,
/// and can later prove that history up to it was not rewritten.
public struct ChainHead: Sendable, Codable, Equatable {
    public let seq: Int64
    public let hash: String
    /// The local day whose head this is, when it comes from a saved report.
    public let day: String?

    public init(seq: Int64, hash: String, day: String? = nil) {
        self.seq = seq
        self.hash = hash
        self.day = day
    }
}

public struct VerificationProblem: Sendable, Codable, Equatable, CustomStringConvertible {
    /// Where: e.g. "journal link 17 (deposit k1-D5)".
    public let location: String
    public let problem: String

    public var description: String { "\(location): \(problem)" }
}

public struct VerificationReport: Sendable, Codable, Equatable {
    public var ok: Bool { problems.isEmpty }
    /// How many links the journal holds.
    public var journalLinks: Int64 = 0
    /// The last link that verified: less than `journalLinks` when the walk
    /// stopped at a bad link.
    public var verifiedLinks: Int64 = 0
    public var auditLinks: Int64 = 0
    public var accountsChecked = 0
    public var chainHead: ChainHead?
    public var integrityCheck = ""
    public var problems: [VerificationProblem] = []

    enum CodingKeys: String, CodingKey {
        case ok, journalLinks = "journal_links", verifiedLinks = "verified_links", auditLinks = "audit_links",
            accountsChecked = "accounts_checked"
        case chainHead = "chain_head", integrityCheck = "integrity_check", problems
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(ok, forKey: .ok)
        try container.encode(journalLinks, forKey: .journalLinks)
        try container.encode(verifiedLinks, forKey: .verifiedLinks)
        try container.encode(auditLinks, forKey: .auditLinks)
        try container.encode(accountsChecked, forKey: .accountsChecked)
        try container.encodeIfPresent(chainHead, forKey: .chainHead)
        try container.encode(integrityCheck, forKey: .integrityCheck)
        try container.encode(problems, forKey: .problems)
    }

    public init() {}

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        journalLinks = try container.decode(Int64.self, forKey: .journalLinks)
        verifiedLinks = try container.decodeIfPresent(Int64.self, forKey: .verifiedLinks) ?? journalLinks
        auditLinks = try container.decode(Int64.self, forKey: .auditLinks)
        accountsChecked = try container.decode(Int.self, forKey: .accountsChecked)
        chainHead = try container.decodeIfPresent(ChainHead.self, forKey: .chainHead)
        integrityCheck = try container.decode(String.self, forKey: .integrityCheck)
        problems = try container.decode([VerificationProblem].self, forKey: .problems)
    }
}

extension Ledger {
    /// Walks both hash chains link by link, recomputes every balance from
    /// the entries, finds rows that bypassed the chain, and runs SQLite's
    /// integrity check. With `expectedHeads`, also proves that each head a
    /// cooperative saved is still part of the chain.
    public func verify(against expectedHeads: [ChainHead] = []) throws(LedgerError) -> VerificationReport {
        try read("verifying the ledger") { db in
            var report = VerificationReport()
            report.integrityCheck = try String.fetchAll(db, sql: "PRAGMA integrity_check").joined(separator: "; ")
            if report.integrityCheck != "ok" {
                report.problems.append(
                    .init(location: "database file", problem: "integrity check failed: \(report.integrityCheck)"))
            }
            try verifyJournal(db, &report)
            try verifyAudit(db, &report)
            try verifyBalances(db, &report)
            try checkHeads(db, expectedHeads, &report)
            return report
        }
    }

    /// Each head a cooperative saved must still be the ledger's link at its
    /// place. A mismatch names the day: its history (the links after the
    /// previous matching head, up to its own) was rewritten.
    private func checkHeads(_ db: Database, _ expectedHeads: [ChainHead], _ report: inout VerificationReport) throws {
        var lastMatching: ChainHead?
        var firstRewritten: ChainHead?
        for head in expectedHeads.sorted(by: { $0.seq < $1.seq }) {
            let stored = try Data.fetchOne(db, sql: "SELECT hash FROM journal WHERE seq = ?", arguments: [head.seq])
                .map(ChainHash.hex)
            guard stored != head.hash else {
                if firstRewritten == nil { lastMatching = head }
                continue
            }
            if let firstRewritten {
                report.problems.append(
                    .init(
                        location: "report chain head \(head.seq)" + (head.day.map { " (\($0))" } ?? ""),
                        problem: "differs too, following the history rewritten at or before link \(firstRewritten.seq)"
                    ))
                continue
            }
            firstRewritten = head
            let day = head.day.map { "the history of \($0)" } ?? "history"
            let saved = "the report's head is link \(head.seq) \(head.hash)"
            var problem =
                stored == nil
                ? "the ledger no longer has link \(head.seq): \(day) was truncated; \(saved)"
                : "\(day) was rewritten: \(saved), the ledger's link \(head.seq) is now \(stored ?? "")"
            if let lastMatching {
                problem +=
                    "; \(lastMatching.day ?? "the head at link \(lastMatching.seq)") still matches, so the change lies in links \(lastMatching.seq + 1)–\(head.seq)"
            }
            report.problems.append(
                .init(location: "report chain head \(head.seq)" + (head.day.map { " (\($0))" } ?? ""), problem: problem)
            )
        }
    }

    private func verifyJournal(_ db: Database, _ report: inout VerificationReport) throws {
        // The chain's real length and head, whatever the walk finds.
        if let last = try Row.fetchOne(db, sql: "SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1") {
            report.journalLinks = last["seq"]
            report.chainHead = ChainHead(seq: last["seq"], hash: ChainHash.hex(last["hash"] as Data))
        }
        let cursor = try Row.fetchCursor(db, sql: "SELECT * FROM journal ORDER BY seq")
        var expectedSeq: Int64 = 1
        var previous = ChainHash.genesis
        var lastRecorded = Int64.min
        var statements: [JournalKind: Statement] = [:]
        while let link = try cursor.next() {
            let seq: Int64 = link["seq"]
            let kindText: String = link["kind"]
            let subject: String = link["subject"]
            let recordedDay = calendar.day(of: WallClockTime(millisecondsSinceEpoch: link["recorded_at_ms"]))
            let location = "journal link \(seq) (\(kindText) \(subject), \(recordedDay))"
            guard seq == expectedSeq else {
                report.problems.append(
                    .init(
                        location: "journal link \(expectedSeq)",
                        problem: "missing: the chain jumps to \(seq), rows were deleted"))
                return
            }
            guard link["prev_hash"] as Data == previous else {
                report.problems.append(
                    .init(
                        location: location,
                        problem: "does not follow link \(seq - 1): rows were removed, inserted or re-ordered"))
                return
            }
            let recorded: Int64 = link["recorded_at_ms"]
            let header = Self.journalHeader(
                seq: seq, kind: kindText, subject: subject, recorded: recorded, wall: link["wall_clock_ms"],
                synchronized: link["clock_synchronized"], anomaly: link["clock_anomaly"]
            )
            let contentHash: Data = link["content_hash"]
            let hash: Data = link["hash"]
            guard ChainHash.link(previous: previous, header: header, contentHash: contentHash) == hash else {
                report.problems.append(
                    .init(location: location, problem: "the link itself was edited (its hash does not match)"))
                return
            }
            guard let kind = JournalKind(rawValue: kindText) else {
                report.problems.append(.init(location: location, problem: "unknown kind"))
                return
            }
            if recorded < lastRecorded {
                report.problems.append(
                    .init(location: location, problem: "recorded before the link preceding it: time ran backwards"))
                return
            }
            let (table, key, columns) = kind.subjectTable
            let statement =
                try statements[kind]
                ?? db.makeStatement(sql: "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(key) = ?")
            statements[kind] = statement
            let keyValue: any DatabaseValueConvertible = kind == .entry ? (Int64(subject) ?? -1) : subject
            guard let row = try Row.fetchOne(statement, arguments: [keyValue]) else {
                report.problems.append(.init(location: location, problem: "its \(table) row is gone: it was deleted"))
                return
            }
            guard ChainHash.sha256(CanonicalRow.encode(table: table, selectedRow: row, columns: columns)) == contentHash
            else {
                report.problems.append(
                    .init(location: location, problem: "its \(table) row was edited after it was recorded"))
                return
            }
            previous = hash
            lastRecorded = recorded
            report.verifiedLinks = seq
            expectedSeq += 1
        }
        // Rows that never entered the chain were inserted behind the ledger's back.
        let unchained = [
            (
                "sessions",
                "SELECT id FROM sessions WHERE id NOT IN (SELECT subject FROM journal WHERE kind = 'session_opened')"
            ),
            (
                "session_closures",
                "SELECT session_id FROM session_closures WHERE session_id NOT IN (SELECT subject FROM journal WHERE kind = 'session_closed')"
            ),
            (
                "deposits",
                "SELECT id FROM deposits WHERE id NOT IN (SELECT subject FROM journal WHERE kind = 'deposit')"
            ),
            (
                "entries",
                "SELECT CAST(id AS TEXT) FROM entries WHERE CAST(id AS TEXT) NOT IN (SELECT subject FROM journal WHERE kind = 'entry')"
            ),
        ]
        if let doubled = try String.fetchOne(
            db,
            sql: """
                SELECT deposit_id FROM entries WHERE kind = 'credit' GROUP BY deposit_id HAVING COUNT(*) > 1 LIMIT 1
                """)
        {
            report.problems.append(.init(location: "deposit \(doubled)", problem: "credited more than once"))
        }
        if let doubled = try Int64.fetchOne(
            db,
            sql: """
                SELECT reverses_entry FROM entries WHERE kind = 'reversal' GROUP BY reverses_entry HAVING COUNT(*) > 1 LIMIT 1
                """)
        {
            report.problems.append(.init(location: "entry \(doubled)", problem: "reversed more than once"))
        }
        for (table, sql) in unchained {
            if let stray = try String.fetchOne(db, sql: sql + " LIMIT 1") {
                report.problems.append(
                    .init(
                        location: "\(table) row \(stray)",
                        problem: "not in the journal chain: inserted outside the ledger"))
            }
        }
    }

    private func verifyAudit(_ db: Database, _ report: inout VerificationReport) throws {
        let cursor = try Row.fetchCursor(
            db, sql: "SELECT \(TableColumns.audit.joined(separator: ", ")), hash FROM audit_log ORDER BY seq")
        var expectedSeq: Int64 = 1
        var previous = ChainHash.genesis
        var counters: [String: Int64] = [:]
        while let row = try cursor.next() {
            let seq: Int64 = row["seq"]
            let kind: String = row["kind"]
            let location = "audit link \(seq) (\(kind))"
            guard seq == expectedSeq else {
                report.problems.append(
                    .init(location: "audit link \(expectedSeq)", problem: "missing: the audit chain jumps to \(seq)"))
                return
            }
            guard row["prev_hash"] as Data == previous else {
                report.problems.append(
                    .init(
                        location: location,
                        problem: "does not follow link \(seq - 1): audit rows were removed or re-ordered"))
                return
            }
            let content = CanonicalRow.encode(
                table: "audit_log", columns: TableColumns.audit,
                values: Array(row.databaseValues.prefix(TableColumns.audit.count))
            )
            let hash: Data = row["hash"]
            guard ChainHash.link(previous: previous, header: "audit|", contentHash: ChainHash.sha256(content)) == hash
            else {
                report.problems.append(.init(location: location, problem: "was edited after it was recorded"))
                return
            }
            let counter: Int64 = row["counter"]
            guard counter == (counters[kind] ?? 0) + 1 else {
                report.problems.append(
                    .init(location: location, problem: "counter \(counter) does not follow \(counters[kind] ?? 0)"))
                return
            }
            counters[kind] = counter
            previous = hash
            report.auditLinks = seq
            expectedSeq += 1
        }
    }

    private func verifyBalances(_ db: Database, _ report: inout VerificationReport) throws {
        let recomputed = try Row.fetchAll(
            db,
            sql: """
                SELECT account, SUM(amount) AS balance FROM (
                    SELECT credit_account AS account, amount FROM entries
                    UNION ALL SELECT debit_account, -amount FROM entries
                ) GROUP BY account
                """)
        var expected: [String: Int64] = [:]
        for row in recomputed { expected[row["account"]] = row["balance"] }
        let stored = try Row.fetchAll(db, sql: "SELECT account, balance FROM balances")
        var seen = Set<String>()
        for row in stored {
            let account: String = row["account"]
            let balance: Int64 = row["balance"]
            seen.insert(account)
            if balance != expected[account] ?? 0 {
                report.problems.append(
                    .init(
                        location: "balance of \(account)",
                        problem: "is \(balance) but its entries add up to \(expected[account] ?? 0)"))
            }
        }
        for (account, balance) in expected where !seen.contains(account) && balance != 0 {
            report.problems.append(
                .init(location: "balance of \(account)", problem: "is missing but its entries add up to \(balance)"))
        }
        let total = stored.reduce(Int64(0)) { $0 + ($1["balance"] as Int64) }
        if total != 0 {
            report.problems.append(
                .init(location: "balances", problem: "add up to \(total), not 0: double entry is broken"))
        }
        report.accountsChecked = stored.count
    }
}
