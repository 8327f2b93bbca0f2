import Foundation
import GRDB
import Testing
import MizanCore
import MizanLedger

extension SampleLedger {
    /// What an attacker with the file does: the append-only trigger dropped,
    /// a deposit edited behind the ledger's back.
    func editDeposits(set assignments: String, where condition: String) throws {
        let attacker = try DatabaseQueue(path: path)
        try attacker.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER deposits_no_update")
            try db.execute(sql: "UPDATE deposits SET \(assignments) WHERE \(condition)")
        }
        try attacker.close()
    }
}

@Suite("mizanctl against a real ledger file")
struct MizanctlTests {
    @Test func totalsAsJSONFollowTheStableSchema() throws {
        let sample = try SampleLedger()
        let result = try Mizanctl.run(["totals", "--db", sample.path, "--day", SampleLedger.day, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let report = try JSONDecoder().decode(TotalsReport.self, from: Data(result.stdout.utf8))
        #expect(report.schema == "mizan.totals-report.v1")
        let day = try #require(report.days.first)
        #expect(day.hours == 23)
        #expect(day.total.creditedGrams == 1_250 + 2_000 + 3_330)
        #expect(day.total.creditIssued == 375 + 1_600 + 499)
        #expect(day.total.anonymousGrams == 4_100)
        #expect(day.total.rejected["below_minimum"] == 1)
        #expect(day.householdsServed == 2)
        #expect(day.creditReversed == 499)
        #expect(day.netCredit == 375 + 1_600)
        #expect(day == (try sample.ledger.totals(for: LocalDay(SampleLedger.day)!)))
    }

    @Test func totalsAsCSVStartWithABOMAndKeepArabicNames() throws {
        let sample = try SampleLedger()
        let result = try Mizanctl.run([
            "totals", "--db", sample.path, "--from", "2026-03-28", "--to", "2026-03-29", "--format", "csv",
        ])
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("\u{FEFF}day,time_zone,material,name_ar"))
        let lines = result.stdout.split(separator: "\r\n")
        #expect(lines.count == 1 + 2 * 6)
        #expect(lines.contains { $0.hasPrefix("2026-03-28,Asia/Hebron,plastic,بلاستيك,Plastic,1,1,1250,") })
        #expect(lines.contains { $0.hasPrefix("2026-03-29,Asia/Hebron,plastic,بلاستيك,Plastic,1,1,900,") })
    }

    @Test func totalsAsATableMatchTheGoldenFile() throws {
        let sample = try SampleLedger()
        let result = try Mizanctl.run(["totals", "--db", sample.path, "--day", SampleLedger.day])
        #expect(result.status == 0)
        try Golden.check(result.stdout, against: "totals-table.txt")
    }

    @Test func verifyPassesAndChecksASavedReportInBothFormats() throws {
        let sample = try SampleLedger()
        let directory = sample.directory
        let json = try Mizanctl.run(["totals", "--db", sample.path, "--day", SampleLedger.day, "--format", "json"])
        let csv = try Mizanctl.run(["totals", "--db", sample.path, "--day", SampleLedger.day, "--format", "csv"])
        try json.stdout.write(toFile: directory + "/report.json", atomically: true, encoding: .utf8)
        try csv.stdout.write(toFile: directory + "/report.csv", atomically: true, encoding: .utf8)
        let plain = try Mizanctl.run(["ledger", "verify", "--db", sample.path])
        #expect(plain.status == 0, "\(plain.stdout)\(plain.stderr)")
        #expect(plain.stdout.contains("OK: the ledger verifies"))
        for report in ["report.json", "report.csv"] {
            let result = try Mizanctl.run([
                "ledger", "verify", "--db", sample.path, "--against", directory + "/" + report, "--json",
            ])
            #expect(result.status == 0, "\(report): \(result.stdout)\(result.stderr)")
            let decoded = try JSONDecoder().decode(VerificationReport.self, from: Data(result.stdout.utf8))
            #expect(decoded.ok)
        }
    }

    @Test func verifyFailsWithExitCodeOneOnATamperedLedger() throws {
        let sample = try SampleLedger()
        try sample.editDeposits(set: "net_g = 12500, credited_g = 12500", where: "id = 'bz-01-D1'")
        let result = try Mizanctl.run(["ledger", "verify", "--db", sample.path])
        #expect(result.status == 1)
        #expect(result.stdout.contains("deposit bz-01-D1"))
        #expect(result.stdout.contains("edited"))
    }

    @Test func verifyAgainstAReportFromAnotherHistoryFails() throws {
        let sample = try SampleLedger()
        let forged = "{\"schema\":\"mizan.totals-report.v1\",\"kiosk_id\":\"bz-01\",\"days\":[]}"
        try forged.write(toFile: sample.directory + "/empty.json", atomically: true, encoding: .utf8)
        let empty = try Mizanctl.run([
            "ledger", "verify", "--db", sample.path, "--against", sample.directory + "/empty.json",
        ])
        #expect(empty.status == 2)
        let json = try Mizanctl.run(["totals", "--db", sample.path, "--day", SampleLedger.day, "--format", "json"])
        let rewritten = json.stdout.replacingOccurrences(of: "\"seq\" : ", with: "\"seq\" : 1").data(using: .utf8)!
        try rewritten.write(to: URL(fileURLWithPath: sample.directory + "/other.json"))
        let result = try Mizanctl.run([
            "ledger", "verify", "--db", sample.path, "--against", sample.directory + "/other.json",
        ])
        #expect(result.status == 1, "\(result.stdout)")
        #expect(result.stdout.contains("report chain head"))
    }

    /// A cooperative's saved report against a history rebuilt from one
    /// changed deposit on: the failure names the day that was rewritten and
    /// the report's head, and the range of links the change lies in.
    @Test(arguments: [(Int64(6), "2026-03-29", true), (Int64(3), "2026-03-28", false)])
    func verifyAgainstAReportNamesTheRewrittenDay(forging deposit: Int64, day: String, earlierDayMatches: Bool) throws {
        let sample = try SampleLedger()
        let saved = sample.directory + "/saved.json"
        let json = try Mizanctl.run([
            "totals", "--db", sample.path, "--from", "2026-03-28", "--to", "2026-03-29", "--format", "json",
        ])
        try json.stdout.write(toFile: saved, atomically: true, encoding: .utf8)
        let heads = try TotalsReport.chainHeads(inReport: json.stdout, kiosk: "bz-01")
        #expect(heads.map(\.day) == ["2026-03-28", "2026-03-29"])
        let forged = try SampleLedger(forging: deposit)
        let result = try Mizanctl.run(["ledger", "verify", "--db", forged.path, "--against", saved])
        #expect(result.status == 1, "\(result.stdout)")
        let head = try #require(heads.first { $0.day == day })
        #expect(
            result.stdout.contains(
                "the history of \(day) was rewritten: the report's head is link \(head.seq) \(head.hash)"),
            "\(result.stdout)")
        #expect(
            result.stdout.contains("still matches, so the change lies in links \(heads[0].seq + 1)–\(heads[1].seq)")
                == earlierDayMatches, "\(result.stdout)")
    }

    /// A walk that stops at a bad link still says how long the chain is.
    @Test func verifyReportsTheChainsRealLength() throws {
        let sample = try SampleLedger()
        let links = try sample.ledger.verify().journalLinks
        try sample.editDeposits(set: "net_g = 12500", where: "id = 'bz-01-D2'")
        let result = try Mizanctl.run(["ledger", "verify", "--db", sample.path])
        #expect(result.status == 1)
        let report = try sample.ledger.verify()
        #expect(report.journalLinks == links)
        #expect(report.verifiedLinks < links)
        #expect(
            result.stdout.contains("journal links: \(links) (verified through link \(report.verifiedLinks))"),
            "\(result.stdout)")
        #expect(result.stdout.contains("chain head: \(links) "), "\(result.stdout)")
        #expect(result.stdout.contains("(deposit bz-01-D2, 2026-03-28)"), "\(result.stdout)")
    }

    @Test func householdsListAndShow() throws {
        let sample = try SampleLedger()
        let list = try Mizanctl.run(["households", "list", "--db", sample.path, "--json"])
        #expect(list.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == 2)
        #expect(entries.first?["balance"] as? Int == 375 + 1_600 + 270)
        let show = try Mizanctl.run(["households", "show", "1122334455", "--db", sample.path])
        #expect(show.status == 0)
        #expect(show.stdout.contains("Abu Sami"))
        #expect(show.stdout.contains("Balance: 0.00 XBZ"))
        #expect(show.stdout.contains("paper was wet"))
        let unknown = try Mizanctl.run(["households", "show", "FFFFFFFF", "--db", sample.path])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("not registered"))
    }

    @Test func exportHoldsEverythingAndItsVerification() throws {
        let sample = try SampleLedger()
        let result = try Mizanctl.run(["export", "--json", "--db", sample.path])
        #expect(result.status == 0)
        let export = try JSONDecoder().decode(LedgerExport.self, from: Data(result.stdout.utf8))
        #expect(export.schema == "mizan.ledger-export.v1")
        #expect(export.tables["deposits"]?.count == 6)
        #expect(export.tables["entries"]?.count == 5)
        #expect(export.tables["fault_log"] != nil)
        #expect(export.tables["cooperative_tokens"] == nil)
        #expect(export.verification.ok)
    }

    @Test(arguments: [
        ["totals", "--day", "2026-02-30"],
        ["totals", "--day", "2026-03-01", "--from", "2026-03-01", "--to", "2026-03-02"],
        ["totals", "--from", "2026-03-05", "--to", "2026-03-01"],
        ["totals", "--format", "xml"],
        ["households", "show", "not-hex"],
        ["no-such-command"],
    ])
    func usageErrorsExitWithTwo(arguments: [String]) throws {
        let result = try Mizanctl.run(arguments + ["--db", "/nonexistent/ledger.sqlite"])
        #expect(result.status == 2, "\(arguments): \(result.stderr)")
        #expect(!result.stderr.isEmpty)
    }

    @Test func aMissingLedgerIsAClearErrorWithExitCodeTwo() throws {
        let result = try Mizanctl.run(["totals", "--state-dir", "/nonexistent/mizan"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("/nonexistent/mizan/ledger.sqlite"))
    }

    @Test func readingWorksWhileTheDaemonWrites() throws {
        let sample = try SampleLedger()
        // The daemon's connection stays open and keeps committing.
        for sequence in Int64(10)...30 {
            try sample.ledger.commitDeposit(
                DepositRecord(
                    id: DepositID(kioskID: "bz-01", sequence: sequence), session: nil, household: nil, bin: "paper",
                    material: "paper", binsOpened: ["paper"], baseline: Grams(0), final: Grams(500), net: Grams(500),
                    creditedGrams: .zero, priceVersion: nil, ratePerKilogram: nil, credit: 0, currencyCode: "XBZ",
                    carryIn: .zero, carryOut: .zero, reason: .anonymous, lidOpenedAt: .origin, lidClosedAt: nil,
                    decidedAt: .origin
                ), at: SampleLedger.clock("2026-03-29T08:00:00Z"))
            if sequence % 10 == 0 {
                let result = try Mizanctl.run(["ledger", "verify", "--db", sample.path])
                #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
            }
        }
        let totals = try Mizanctl.run(["totals", "--db", sample.path, "--day", "2026-03-29", "--format", "json"])
        #expect(totals.status == 0)
        #expect(totals.stdout.contains("\"anonymous_grams\" : 10500"))
    }
}
