import Foundation
import MizanReplication
import MizanSimulator
import PostgresNIO
import Testing

@testable import MizanCore
@testable import MizanHub
@testable import MizanLedger

/// The hub's ingest against a real PostgreSQL (Debian's, started for the
/// suite in a temporary directory on a private port): links checked one by
/// one, pushes replayed without effect, forks and edits named.
@Suite("The hub's ingest on a real PostgreSQL", .serialized, .enabled(if: TemporaryPostgres.isInstalled))
final class HubIngestTests {
    let postgres: TemporaryPostgres
    let directory: String

    init() throws {
        postgres = try TemporaryPostgres()
        try postgres.psql("CREATE DATABASE mizan")
        directory = FileManager.default.temporaryDirectory.path + "/mizan-hub-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        postgres.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func store(as user: String = "postgres") -> HubStore {
        HubStore(.init(host: "127.0.0.1", port: postgres.port, user: user, database: "mizan"))
    }

    static let card = CardUID("0A1B2C3D4E")!
    static let clock = LedgerClockReading(
        wall: WallClockTime(millisecondsSinceEpoch: 1_795_420_800_000), synchronized: true)

    /// A kiosk's ledger: one household, a session, deposits (one anonymous).
    func kioskLedger(_ id: String, deposits: Int) throws -> Ledger {
        let ledger = try Ledger.open(path: directory + "/\(id).sqlite", kioskID: id)
        let household = try ledger.registerHousehold(card: Self.card, name: "Umm Khalil", actor: "t", at: Self.clock)
        try ledger.publishPrices(
            PriceTable(
                version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: ["plastic": 300]),
            actor: "t", at: Self.clock)
        let session = SessionID(kioskID: id, sequence: 1)
        try ledger.recordSessionOpened(
            SessionOpening(id: session, household: household.id, card: Self.card, at: .origin), at: Self.clock)
        for sequence in 1...deposits {
            let grams = Int64(500 + 100 * sequence)
            let credited = sequence != 2
            try ledger.commitDeposit(
                DepositRecord(
                    id: DepositID(kioskID: id, sequence: Int64(sequence)), session: credited ? session : nil,
                    household: credited ? household.id : nil, bin: "plastic", material: "plastic",
                    binsOpened: ["plastic"],
                    baseline: Grams(0), final: Grams(grams), net: Grams(grams),
                    creditedGrams: credited ? Grams(grams) : .zero,
                    priceVersion: credited ? 1 : nil, ratePerKilogram: credited ? 300 : nil,
                    credit: credited ? grams * 300 / 1000 : 0, currencyCode: "XBZ", carryIn: .zero,
                    carryOut: CreditCarry(thousandths: credited ? grams * 300 % 1000 : 0)!,
                    reason: credited ? .credited : .anonymous, lidOpenedAt: .origin, lidClosedAt: .seconds(1),
                    decidedAt: .seconds(2)),
                at: LedgerClockReading(
                    wall: WallClockTime(
                        millisecondsSinceEpoch: Self.clock.wall.millisecondsSinceEpoch + Int64(sequence) * 1_000),
                    synchronized: true))
        }
        return ledger
    }

    @Test func linksAreCheckedStoredOnceAndTheirRowsAddUpToTheKiosksOwn() async throws {
        let admin = store()
        try await admin.whileRunning {
            #expect(try await admin.migrate().count == HubSchema.migrations.count)
            #expect(try await admin.migrate().isEmpty)
            _ = try await admin.enrol(kiosk: "school", timeZone: "Asia/Hebron")
        }
        let ledger = try kioskLedger("school", deposits: 5)
        let links = try ledger.journalLinks(after: 0, limit: 1_000)
        let hub = store(as: HubSchema.loginRole)
        try await hub.whileRunning {
            // In two pushes, the second overlapping the first, then everything again.
            let first = try await hub.ingest(kiosk: "school", links: Array(links.prefix(4)))
            #expect(first == .accepted(head: 4, inserted: 4, duplicates: 0))
            let second = try await hub.ingest(kiosk: "school", links: Array(links.dropFirst(2)))
            #expect(second == .accepted(head: Int64(links.count), inserted: links.count - 4, duplicates: 2))
            let replay = try await hub.ingest(kiosk: "school", links: links)
            #expect(replay == .accepted(head: Int64(links.count), inserted: 0, duplicates: links.count))
            // A gap: links after a missing one wait for the next push.
            let gap = try await hub.ingest(kiosk: "school", links: [])
            #expect(gap == .accepted(head: Int64(links.count), inserted: 0, duplicates: 0))
        }
        let household = try #require(try ledger.household(card: Self.card))
        let balance = try ledger.balance(of: household.id)
        let rows = try postgres.psql(
            """
            SELECT (SELECT count(*) FROM links), (SELECT count(*) FROM deposits),
              (SELECT sum(credit) FROM deposits WHERE card_uid = '\(Self.card.hex)'),
              (SELECT sum(amount) FROM entries WHERE card_uid = '\(Self.card.hex)' AND credit_account LIKE 'household:%'),
              (SELECT local_day FROM deposits LIMIT 1)
            """, database: "mizan")
        #expect(
            rows.trimmingCharacters(in: .whitespacesAndNewlines) == "\(links.count)|5|\(balance)|\(balance)|2026-11-23")

        // The hub's login may add history, never change or remove it.
        for attack in ["UPDATE links SET hash = hash", "DELETE FROM deposits", "UPDATE entries SET amount = 1"] {
            #expect(throws: TemporaryPostgres.Failure.self) {
                try postgres.psql("SET ROLE mizan_hub; \(attack)", database: "mizan")
            }
        }
    }

    @Test func anEditedLinkAndAForkAreRefusedNamedAndFlagged() async throws {
        let admin = store()
        try await admin.whileRunning {
            _ = try await admin.migrate()
            _ = try await admin.enrol(kiosk: "mosque", timeZone: "Asia/Hebron")
        }
        let links = try kioskLedger("mosque", deposits: 3).journalLinks(after: 0, limit: 1_000)
        let deposit = try #require(links.firstIndex { $0.kind == "deposit" })
        var edited = links
        let credit = try #require(edited[deposit].columns.firstIndex(of: "credit"))
        edited[deposit].values[credit] = .integer(1_000_000)

        let hub = store(as: HubSchema.loginRole)
        try await hub.whileRunning {
            let refused = try await hub.ingest(kiosk: "mosque", links: edited)
            guard case let .brokenChain(head, seq, problem) = refused else {
                Issue.record("an edited deposit was taken: \(refused)")
                return
            }
            #expect(head == Int64(deposit) && seq == links[deposit].seq)
            #expect(problem.contains("mosque") && problem.contains("link \(seq)") && problem.contains("content hash"))
            // The genuine chain goes in; the edited link sent again is a fork.
            #expect(
                try await hub.ingest(kiosk: "mosque", links: links)
                    == .accepted(
                        head: Int64(links.count), inserted: links.count - deposit, duplicates: deposit))
            let forked = try await hub.ingest(kiosk: "mosque", links: [edited[deposit]])
            guard case .fork(_, let forkSeq, _) = forked else {
                Issue.record("a differing duplicate was not a fork: \(forked)")
                return
            }
            #expect(forkSeq == links[deposit].seq)
        }
        let flagged = try postgres.psql("SELECT kind, kiosk, seq FROM anomalies ORDER BY id", database: "mizan")
        #expect(
            flagged == "broken_chain|mosque|\(links[deposit].seq)\nfork|mosque|\(links[deposit].seq)\n", "\(flagged)")
    }

    @Test func theVillagesAnomaliesBalancesAndTotalsComeFromEveryKiosk() async throws {
        let admin = store()
        try await admin.whileRunning {
            _ = try await admin.migrate()
            for kiosk in ["school", "mosque", "clinic"] {
                _ = try await admin.enrol(kiosk: kiosk, timeZone: "Asia/Hebron")
            }
        }
        let school = try kioskLedger("school", deposits: 3)
        let mosque = try kioskLedger("mosque", deposits: 3)
        let hub = store(as: HubSchema.loginRole)
        try await hub.whileRunning {
            for (id, ledger) in [("school", school), ("mosque", mosque)] {
                try await hub.keepProfile(try KioskProfile(of: ledger), of: id)
                let outcome = try await hub.ingest(kiosk: id, links: try ledger.journalLinks(after: 0, limit: 1_000))
                guard case .accepted = outcome else {
                    Issue.record("\(id): \(outcome)")
                    return
                }
            }
            let household = try #require(try school.household(card: Self.card))
            let kioskSum = try school.balance(of: household.id) + mosque.balance(of: household.id)
            #expect(
                try await hub.balances() == [
                    .init(card: Self.card.hex, balanceMinor: kioskSum, kiosks: ["mosque", "school"])
                ])
            // Each kiosk's day at the hub is the kiosk's own report, to the chain head.
            let day = try #require(LocalDay("2026-11-23"))
            let fleet = try await hub.fleetTotals(day: day)
            #expect(fleet.kiosks.map(\.kioskID) == ["clinic", "mosque", "school"])
            #expect(Array(fleet.kiosks.dropFirst()) == [try mosque.totals(for: day), try school.totals(for: day)])
            #expect(fleet.kiosks[0].total.deposits == 0 && fleet.kiosks[0].chainHead == nil)
            #expect(fleet.villageTotal.deposits == 6 && fleet.villageTotal.creditIssued == kioskSum)
            #expect(fleet.villageHouseholdsServed == 1)
            let csv = TotalsCSV.render(fleet.kiosks, kioskColumn: true)
            #expect(csv.hasPrefix("\u{FEFF}kiosk_id,day,time_zone,material,"))
            // A kiosk checks its ledger against the village's sheet by its own rows.
            #expect(
                try TotalsReport.chainHeads(inReport: csv, kiosk: "school").map(\.seq)
                    == [try #require(fleet.kiosks.last?.chainHead).seq])
            // A time zone the hub cannot work with is refused, by name.
            var wrong = try KioskProfile(of: school)
            wrong.timeZone = "Mars/Olympus_Mons"
            await #expect(throws: HubError.self) { try await hub.keepProfile(wrong, of: "school") }

            var rules = AnomalyRules()
            rules.dailyCreditCap = 500
            #expect(try await hub.findAnomalies(rules) == 2)
            // Found once: looking again flags nothing new.
            #expect(try await hub.findAnomalies(rules) == 0)
        }
        // The clinic was enrolled and never heard from; the others pushed a
        // moment ago, unless their last contact is a day and a half old.
        try postgres.psql(
            "UPDATE kiosk_heads SET last_contact = now() - interval '36 hours' WHERE kiosk = 'mosque'",
            database: "mizan")
        try postgres.psql(
            "UPDATE kiosks SET enrolled_at = now() - interval '3 days' WHERE id = 'clinic'", database: "mizan")
        // A pool runs once: a fresh one for the second look.
        let later = store(as: HubSchema.loginRole)
        try await later.whileRunning {
            #expect(try await later.findAnomalies(AnomalyRules()) == 2)
            let flagged = try await later.anomalies()
            #expect(flagged.map(\.kind) == ["cap_across_kiosks", "card_too_fast", "kiosk_silent", "kiosk_silent"])
            #expect(Set(flagged.filter { $0.kind == "kiosk_silent" }.compactMap(\.kiosk)) == ["clinic", "mosque"])
            let cap = try #require(flagged.first)
            #expect(cap.card == Self.card.hex && cap.day == "2026-11-23")
            #expect(
                cap.detail.contains("across 2 kiosks (mosque, school)") && cap.detail.contains("compensating entry"))
        }
    }
}

extension HubIngestTests {
    @Test func theMunicipalityPageIsArabicAndEscapesWhatKiosksSent() async throws {
        let admin = store()
        try await admin.whileRunning {
            _ = try await admin.migrate()
            _ = try await admin.enrol(kiosk: "school", timeZone: "Asia/Hebron")
        }
        let hub = store(as: HubSchema.loginRole)
        try await hub.whileRunning {
            _ = try await hub.ingest(
                kiosk: "school", links: try kioskLedger("school", deposits: 2).journalLinks(after: 0, limit: 100))
            let facts = MunicipalityPage.Facts(
                day: "2026-11-23", totals: try await hub.fleetTotals(day: try #require(LocalDay("2026-11-23"))),
                days: try await hub.days(upTo: "2026-11-23", count: 30),
                kiosks: try await hub.kioskHealth(silence: .seconds(3600)),
                anomalies: [
                    .init(kind: "fork", kiosk: "school", seq: 3, card: nil, day: nil, detail: "<script>x</script>")
                ])
            #expect(facts.days.map(\.day) == ["2026-11-23"])
            #expect(facts.kiosks.map(\.kiosk) == ["school"] && facts.kiosks.allSatisfy { !$0.silent })
            let page = MunicipalityPage.render(facts, language: .arabic, switchQuery: "lang=en")
            #expect(page.contains("<html lang=\"ar\" dir=\"rtl\">"))
            #expect(page.contains("&lt;script&gt;") && !page.contains("<script>"))
            #expect(page.contains("id=\"kiosk-school\""))
            #expect(try await hub.today().description.count == 10)
        }
    }
}
