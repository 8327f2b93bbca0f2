import Foundation
import GRDB
import Glibc
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// Three real kiosks (mizand + mizan-web each) on the simulator and a real
/// hub on a real PostgreSQL: households deposit at two kiosks, the hub goes
/// away and comes back, and what it holds adds up to the kiosks' own.
extension LiveDaemonTests {
    static var hubPath: String {
        URL(fileURLWithPath: daemonPath).deletingLastPathComponent().appendingPathComponent("mizan-hub").path
    }

    static let cardB = CardUID("1122334455")!

    @Test(.enabled(if: TemporaryPostgres.isInstalled, "needs PostgreSQL (make setup installs it)"))
    func threeKiosksReplicateToTheHubWhichCatchesUpAndRefusesAnEditedLedger() throws {
        let postgres = try TemporaryPostgres()
        defer { postgres.stop() }
        let hub = try HubProcess(executable: Self.hubPath, postgres: postgres)
        defer { hub.stop() }
        try hub.start()
        let keys = FileManager.default.temporaryDirectory.path + "/mizan-hub-keys-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: keys, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: keys) }

        var kiosks: [String: LiveKiosk] = [:]
        defer { for kiosk in kiosks.values { kiosk.shutdown() } }
        for id in ["school", "mosque", "clinic"] {
            try hub.enrol(id).write(toFile: keys + "/\(id).key", atomically: true, encoding: .utf8)
            let kiosk = try LiveKiosk(
                daemonPath: Self.daemonPath,
                extraConfiguration:
                    "hub: {url: \"http://127.0.0.1:\(hub.port)/\", key_file: \(keys)/\(id).key, batch: 7}",
                kioskID: id)
            try kiosk.prepareLedger { ledger in
                let setUp = LedgerClockReading(
                    wall: WallClockTime(millisecondsSinceEpoch: 1_700_000_000_000), synchronized: true)
                try ledger.registerHousehold(card: Self.cardA, name: "Umm Khalil", actor: "test", at: setUp)
                try ledger.registerHousehold(card: Self.cardB, name: "Abu Sami", actor: "test", at: setUp)
                try ledger.publishPrices(
                    PriceTable(
                        version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0),
                        ratesPerKilogram: ["plastic": 300, "metal": 800, "paper": 150]),
                    actor: "test", at: setUp)
            }
            try kiosk.startDaemon()
            #expect(kiosk.waitForLog("mizand ready"), "\(kiosk.log)")
            try kiosk.startWeb()
            #expect(kiosk.waitForWebLog("pushing the ledger's journal to the hub"), "\(kiosk.webLog)")
            kiosks[id] = kiosk
        }
        let school = try #require(kiosks["school"]), mosque = try #require(kiosks["mosque"])
        let clinic = try #require(kiosks["clinic"])
        school.wait(seconds: 2)

        func visit(_ kiosk: LiveKiosk, _ card: CardUID, _ deposits: [(String, Int64)]) {
            kiosk.tap(card)
            kiosk.wait(seconds: 0.5)
            for (bin, grams) in deposits { kiosk.deposit(grams, into: bin) }
            kiosk.tap(card)
        }
        visit(school, Self.cardA, [("plastic", 1_250)])
        visit(mosque, Self.cardA, [("metal", 2_000)])
        visit(clinic, Self.cardB, [("paper", 3_000)])
        try waitUntilTheHubHoldsEveryLink(of: kiosks, postgres)

        // The hub away: the kiosks keep crediting; back, it catches up.
        hub.stop()
        visit(school, Self.cardB, [("plastic", 700), ("paper", 1_000)])
        visit(mosque, Self.cardA, [("plastic", 900)])
        #expect(school.waitForLog("credited", occurrences: 3), "\(school.log)")
        #expect(school.waitForWebLog("cannot be reached"), "\(school.webLog)")
        try hub.start()
        try waitUntilTheHubHoldsEveryLink(of: kiosks, postgres)
        #expect(school.waitForWebLog("pushing again after"), "\(school.webLog)")

        // Exactly the kiosks' own: each household's balance, each material's day.
        var earned: [CardUID: Int64] = [:]
        for card in [Self.cardA, Self.cardB] {
            var kioskSum: Int64 = 0
            for kiosk in kiosks.values {
                let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
                if let household = try ledger.household(card: card) { kioskSum += try ledger.balance(of: household.id) }
            }
            let atHub = try postgres.psql(
                """
                SELECT COALESCE(sum(CASE WHEN credit_account LIKE 'household:%' THEN amount ELSE -amount END), 0)
                FROM entries WHERE card_uid = '\(card.hex)'
                """, database: "mizan")
            #expect(atHub.trimmingCharacters(in: .whitespacesAndNewlines) == String(kioskSum), "card \(card)")
            #expect(kioskSum > 0)
            earned[card] = kioskSum
        }
        // The municipality reads the same over HTTP, with its token only.
        let base = "http://127.0.0.1:\(hub.port)"
        #expect(HTTPProbe.fetch(base + "/api/v1/balances", token: nil).status == 401)
        let balances = HTTPProbe.fetch(base + "/api/v1/balances", token: hub.municipalityToken)
        #expect(balances.status == 200 && balances.body.contains("\"card\":\"\(Self.cardA.hex)\""), "\(balances.body)")
        let today = try Ledger.openExisting(path: school.ledgerPath, readOnly: true).calendar.day(
            of: WallClockTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)))
        let heads = HTTPProbe.fetch(base + "/api/v1/chain-heads", token: hub.municipalityToken)
        let schoolHead = try #require(
            try Ledger.openExisting(path: school.ledgerPath, readOnly: true).verify().chainHead)
        #expect(heads.body.contains("\"hash\":\"\(schoolHead.hash)\""), "\(heads.body)")
        // Each kiosk's day at the hub is the kiosk's own `mizanctl totals`, chain head included.
        struct Fleet: Decodable { let kiosks: [DailyTotals] }
        let fleet = HTTPProbe.fetch(base + "/api/v1/totals?day=\(today)", token: hub.municipalityToken)
        let fleetDays = try JSONDecoder().decode(Fleet.self, from: Data(fleet.body.utf8)).kiosks
        #expect(fleetDays.map(\.kioskID) == ["clinic", "mosque", "school"])
        for day in fleetDays {
            let own = try Ledger.openExisting(path: try #require(kiosks[day.kioskID]).ledgerPath, readOnly: true)
            #expect(day == (try own.totals(for: today)), "\(day.kioskID)")
        }
        let csv = HTTPProbe.fetch(base + "/api/v1/totals?day=\(today)&format=csv", token: hub.municipalityToken)
        #expect(csv.status == 200 && csv.body.hasPrefix("\u{FEFF}kiosk_id,day,time_zone,material"), "\(csv.body)")
        #expect(csv.body.contains("school,\(today),Asia/Hebron,plastic,"), "\(csv.body)")

        var kioskTotals: [String: (credit: Int64, grams: Int64)] = [:]
        for kiosk in kiosks.values {
            let deposits =
                try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true).export()
                .tables["deposits"] ?? []
            for deposit in deposits {
                let material = deposit["material"]?.text ?? ""
                kioskTotals[material, default: (0, 0)].credit += deposit["credit"]?.integer ?? 0
                kioskTotals[material, default: (0, 0)].grams += deposit["credited_g"]?.integer ?? 0
            }
        }
        // The municipality's page, in a real browser: Arabic, right to left, every kiosk, today's credit.
        if HeadlessBrowser.isInstalled {
            let browser = try HeadlessBrowser(width: 1024, height: 768)
            defer { browser.close() }
            try browser.navigate("\(base)/municipality?token=\(hub.municipalityToken)")
            #expect(try browser.wait(until: "document.getElementById('kiosks') !== null"))
            #expect(try browser.text("document.documentElement.lang + ' ' + document.documentElement.dir") == "ar rtl")
            let listed = try browser.text("document.getElementById('kiosks').textContent")
            #expect(["school", "mosque", "clinic"].allSatisfy { listed.contains($0) }, "\(listed)")
            let credit = kioskTotals.values.map(\.credit).reduce(0, +)
            #expect(
                try browser.text("document.getElementById('village-credit').textContent")
                    == "\(credit / 100).\(credit % 100 < 10 ? "0" : "")\(credit % 100)")
            #expect(browser.requests.allSatisfy { $0.hasPrefix(base) || $0.hasPrefix("about:") }, "\(browser.requests)")
            #expect(browser.problems.filter { !$0.contains("favicon") }.isEmpty, "\(browser.problems)")
        }

        try spendAtTheDesk(hub, base: base, card: Self.cardA, earned: try #require(earned[Self.cardA]))

        let hubTotals = try postgres.psql(
            "SELECT material, sum(credit), sum(credited_g) FROM deposits GROUP BY material ORDER BY material",
            database: "mizan")
        let expected = kioskTotals.keys.sorted().map { "\($0)|\(kioskTotals[$0]!.credit)|\(kioskTotals[$0]!.grams)" }
        #expect(hubTotals.split(separator: "\n").map(String.init) == expected)

        // Everything pushed again from the start (a lost cursor): nothing changes.
        let linksBefore = try postgres.psql("SELECT count(*) FROM links", database: "mizan")
        school.stopWeb()
        try FileManager.default.removeItem(atPath: school.stateDirectory + "/hub-cursor")
        try school.startWeb()
        #expect(school.waitForWebLog("0 new"), "\(school.webLog)")
        #expect(try postgres.psql("SELECT count(*) FROM links", database: "mizan") == linksBefore)

        // A ledger edited behind the kiosk's back is refused, kiosk and link named.
        clinic.stopWeb()
        visit(clinic, Self.cardB, [("plastic", 1_500)])
        #expect(clinic.waitForLog("credited", occurrences: 2), "\(clinic.log)")
        #expect(clinic.stopDaemon() == 0)
        let attacker = try DatabaseQueue(path: clinic.ledgerPath)
        let edited: Int64 = try attacker.writeWithoutTransaction { db in
            try db.execute(sql: "DROP TRIGGER deposits_no_update")
            try db.execute(sql: "UPDATE deposits SET credit = credit * 10 WHERE sequence = 2")
            return try Int64.fetchOne(
                db, sql: "SELECT seq FROM journal WHERE kind = 'deposit' AND subject = 'clinic-D2'")
                ?? 0
        }
        try attacker.close()
        try clinic.startWeb()
        #expect(clinic.waitForWebLog("the hub REFUSED link \(edited)"), "\(clinic.webLog)")
        let flagged = try postgres.psql(
            "SELECT kind, kiosk, seq FROM anomalies WHERE kind = 'broken_chain'", database: "mizan")
        #expect(flagged.trimmingCharacters(in: .whitespacesAndNewlines) == "broken_chain|clinic|\(edited)")
        let clinicHead = try postgres.psql("SELECT head_seq FROM kiosk_heads WHERE kiosk = 'clinic'", database: "mizan")
        #expect(Int64(clinicHead.trimmingCharacters(in: .whitespacesAndNewlines)) == edited - 1)
    }

    /// A cooperative's cashier spends a household's credit through the desk
    /// page in Chromium, the card "typed" by a USB reader: the balance falls
    /// by exactly the amount, more than the balance is refused, three wrong
    /// PINs lock the card.
    func spendAtTheDesk(_ hub: HubProcess, base: String, card: CardUID, earned: Int64) throws {
        _ = try hub.administer(["cooperative-add", "olive-press", "معصرة الزيتون"])
        let token = try #require(
            try hub.administer(["cashier-add", "samira", "--cooperative", "olive-press"]).split(separator: "\n")
                .first { $0.hasPrefix("mzc_") })
        _ = try hub.administer(["pin-set", card.hex], input: "2468\n")
        guard HeadlessBrowser.isInstalled else { return }
        let browser = try HeadlessBrowser(width: 800, height: 1280)
        defer { browser.close() }
        func money(_ minor: Int64) -> String { "\(minor / 100).\(minor % 100 < 10 ? "0" : "")\(minor % 100)" }
        func field(_ id: String) throws {
            _ = try browser.evaluate("(e => { e.value = ''; e.focus(); })(document.getElementById('\(id)'))")
        }
        func message() -> String {
            (try? browser.text(
                "document.getElementById('message').textContent + ' ' + document.getElementById('message').dataset.code"
            )) ?? ""
        }

        try browser.navigate(base + "/desk")
        #expect(try browser.wait(until: "document.getElementById('login') && !document.getElementById('login').hidden"))
        #expect(try browser.text("document.documentElement.lang + ' ' + document.documentElement.dir") == "ar rtl")
        try field("token")
        try browser.type(String(token))
        #expect(try browser.wait(until: "!document.getElementById('desk').hidden"))
        try field("card")
        try browser.type(card.hex.lowercased())
        #expect(try browser.wait(until: "!document.getElementById('household').hidden"))
        #expect(try browser.text("document.getElementById('name').textContent") == "Umm Khalil")
        #expect(try browser.text("document.getElementById('balance').textContent") == money(earned))

        try field("amount")
        try browser.type("1.25", enter: false)
        try field("pin")
        try browser.type("2468")
        #expect(try browser.wait(until: "document.getElementById('message').dataset.code === 'done'"), "\(message())")
        #expect(
            try browser.wait(
                until: "document.getElementById('balance').textContent === '\(money(earned - 125))'"))
        #expect(
            try browser.text("document.getElementById('receipt-link').getAttribute('href')").hasPrefix("/desk/receipt/")
        )

        try field("amount")
        try browser.type(money(earned - 125 + 1), enter: false)
        try field("pin")
        try browser.type("2468")
        #expect(
            try browser.wait(until: "document.getElementById('message').dataset.code === 'insufficient'"),
            "\(message())")
        #expect(try browser.text("document.getElementById('message').textContent").contains(money(earned - 125)))

        try field("amount")
        try browser.type("1", enter: false)
        for expected in ["wrong_pin", "wrong_pin", "locked"] {
            _ = try browser.evaluate("document.getElementById('message').dataset.code = ''")
            try field("pin")
            try browser.type("0000")
            #expect(
                try browser.wait(until: "document.getElementById('message').dataset.code === '\(expected)'"),
                "\(message())")
        }
        #expect(
            browser.problems.filter { !$0.contains("favicon") && !$0.contains("status of 4") }.isEmpty,
            "\(browser.problems)")
        #expect(try hub.administer(["verify"]).contains("ok"))
    }

    /// Polls until the hub's head of each kiosk is the kiosk's own chain head (40 s at most).
    func waitUntilTheHubHoldsEveryLink(of kiosks: [String: LiveKiosk], _ postgres: TemporaryPostgres) throws {
        let deadline = ContinuousClock.now + .seconds(40)
        var last = ""
        while ContinuousClock.now < deadline {
            var behind: [String] = []
            for (id, kiosk) in kiosks {
                let head =
                    try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true).journalLinks(
                        after: 0, limit: 100_000
                    ).last?.seq ?? 0
                let atHub =
                    try postgres.psql("SELECT head_seq FROM kiosk_heads WHERE kiosk = '\(id)'", database: "mizan")
                    .trimmingCharacters(in: .whitespacesAndNewlines)
                if Int64(atHub) != head { behind.append("\(id): hub \(atHub.isEmpty ? "-" : atHub), kiosk \(head)") }
            }
            if behind.isEmpty { return }
            last = behind.joined(separator: "; ")
            usleep(250_000)
        }
        Issue.record("the hub did not catch up within 40 s: \(last)")
    }
}
