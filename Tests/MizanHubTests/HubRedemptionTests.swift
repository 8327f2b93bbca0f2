import Foundation
import Hummingbird
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Synchronization
import MizanReplication
import MizanSimulator
import Testing

@testable import MizanCore
@testable import MizanHub
@testable import MizanLedger
import MizanPOSIX

/// Spending the credit at the hub, on a real PostgreSQL: households earn at
/// kiosks whose ledgers are pushed for real; cooperatives' cashiers redeem.
@Suite("Redemption at the hub on a real PostgreSQL", .serialized, .enabled(if: TemporaryPostgres.isInstalled))
final class HubRedemptionTests {
    let postgres: TemporaryPostgres
    let directory: String

    init() throws {
        postgres = try TemporaryPostgres()
        try postgres.psql("CREATE DATABASE mizan")
        directory = FileManager.default.temporaryDirectory.path + "/mizan-desk-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    deinit {
        postgres.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }

    func store(as user: String = "postgres") -> HubStore {
        HubStore(.init(host: "127.0.0.1", port: postgres.port, user: user, database: "mizan"))
    }

    static func card(_ index: Int) -> CardUID { CardUID(String(format: "AB%08X", index))! }

    /// A kiosk where households 1…`households` each deposited `grams` of plastic (300 per kg).
    func kiosk(_ id: String, households: Int, grams: Int64) throws -> Ledger {
        let ledger = try Ledger.open(path: directory + "/\(id).sqlite", kioskID: id)
        let clock = LedgerClockReading(wall: WallClockTime(millisecondsSinceEpoch: Self.now()), synchronized: true)
        try ledger.publishPrices(
            PriceTable(
                version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: ["plastic": 300]),
            actor: "t", at: clock)
        for index in 1...households {
            let household = try ledger.registerHousehold(
                card: Self.card(index), name: "Household \(index)", actor: "t", at: clock)
            let session = SessionID(kioskID: id, sequence: Int64(index))
            try ledger.recordSessionOpened(
                SessionOpening(id: session, household: household.id, card: Self.card(index), at: .origin), at: clock)
            try ledger.commitDeposit(
                DepositRecord(
                    id: DepositID(kioskID: id, sequence: Int64(index)), session: session, household: household.id,
                    bin: "plastic", material: "plastic", binsOpened: ["plastic"], baseline: .zero, final: Grams(grams),
                    net: Grams(grams), creditedGrams: Grams(grams), priceVersion: 1, ratePerKilogram: 300,
                    credit: grams * 300 / 1000, currencyCode: "XBZ", carryIn: .zero,
                    carryOut: CreditCarry(thousandths: grams * 300 % 1000)!, reason: .credited, lidOpenedAt: .origin,
                    lidClosedAt: .seconds(1), decidedAt: .seconds(2)),
                at: clock)
        }
        return ledger
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// Migrated, the kiosks enrolled and pushed, two cooperatives with a cashier each, PINs "2468".
    func village(_ kiosks: [(String, Ledger)], households: Int) async throws -> (Cashier, Cashier) {
        let admin = store()
        try await admin.whileRunning {
            _ = try await admin.migrate()
            for (id, _) in kiosks { _ = try await admin.enrol(kiosk: id, timeZone: "Asia/Hebron") }
            try await admin.addCooperative(id: "olive-press", name: "معصرة الزيتون")
            try await admin.addCooperative(id: "womens-coop", name: "جمعية النساء")
            _ = try await admin.addCashier(id: "samira", cooperative: "olive-press")
            _ = try await admin.addCashier(id: "huda", cooperative: "womens-coop")
            for index in 1...households {
                try await admin.setPIN(card: Self.card(index).hex, pin: "2468", logRounds: 10)
            }
        }
        let hub = store(as: HubSchema.loginRole)
        try await hub.whileRunning {
            for (id, ledger) in kiosks {
                try await hub.keepProfile(try KioskProfile(of: ledger), of: id)
                let pushed = try await hub.ingest(kiosk: id, links: try ledger.journalLinks(after: 0, limit: 100_000))
                guard case .accepted = pushed else { throw HubError("\(id): \(pushed)") }
            }
        }
        return (Cashier(id: "samira", cooperative: "olive-press"), Cashier(id: "huda", cooperative: "womens-coop"))
    }

    @Test func aRedemptionDebitsOnceNeverOverdrawsAndAWrongPINLocksTheCard() async throws {
        let school = try kiosk("school", households: 2, grams: 2_000)
        let mosque = try kiosk("mosque", households: 1, grams: 1_000)
        let (samira, huda) = try await village([("school", school), ("mosque", mosque)], households: 2)
        let card = Self.card(1).hex
        let hub = store(as: HubSchema.loginRole)
        try await hub.whileRunning {
            let before = try #require(try await hub.statement(card: card))
            let household = try #require(try school.household(card: Self.card(1)))
            let earned = try school.balance(of: household.id) + mosque.balance(of: household.id)
            #expect(before.balance == earned && earned == 900)
            #expect(before.name == "Household 1" && before.earned.map(\.kiosk) == ["mosque", "school"])

            // Once per key: a double tap on confirm debits once.
            let paid = try await hub.redeem(by: samira, card: card, amount: 250, pin: "2468", key: "tap-0001")
            guard case let .done(receipt) = paid else { throw HubError("\(paid)") }
            #expect(
                try await hub.redeem(by: samira, card: card, amount: 250, pin: "2468", key: "tap-0001")
                    == .repeated(receipt))
            #expect(try await hub.statement(card: card)?.balance == earned - 250)
            // The same key for something else is refused, not applied.
            #expect(
                try await hub.redeem(by: samira, card: card, amount: 10, pin: "2468", key: "tap-0001")
                    == .refused(.keyReused))

            // More than the balance: refused, the balance named.
            #expect(
                try await hub.redeem(by: huda, card: card, amount: 651, pin: "2468", key: "big-0001")
                    == .refused(.insufficient(balance: 650)))

            // Wrong PINs: two warnings, then the card is locked — even for the right PIN.
            #expect(
                try await hub.redeem(by: huda, card: card, amount: 5, pin: "1111", key: "pin-0001")
                    == .refused(.wrongPIN(attemptsLeft: 2)))
            #expect(
                try await hub.redeem(by: huda, card: card, amount: 5, pin: "1112", key: "pin-0002")
                    == .refused(.wrongPIN(attemptsLeft: 1)))
            guard
                case .refused(.locked) = try await hub.redeem(
                    by: huda, card: card, amount: 5, pin: "1113", key: "pin-0003")
            else { throw HubError("three wrong PINs did not lock") }
            guard
                case .refused(.locked) = try await hub.redeem(
                    by: huda, card: card, amount: 5, pin: "2468", key: "pin-0004")
            else { throw HubError("a locked card spent") }
            #expect(try await hub.statement(card: card)?.lockedUntilMs != nil)

            // A void: the same cooperative, the same day, once.
            #expect(try await hub.void(by: huda, seq: receipt.seq, key: "void-0001") == .refused(.notYours))
            guard case let .done(voided) = try await hub.void(by: samira, seq: receipt.seq, key: "void-0002") else {
                throw HubError("the void was refused")
            }
            #expect(voided.kind == "void" && voided.amount == 250 && voided.voids == receipt.seq)
            #expect(try await hub.void(by: samira, seq: receipt.seq, key: "void-0003") == .refused(.alreadyVoided))
            #expect(try await hub.statement(card: card)?.balance == earned)

            // The second household pays at the other cooperative; no PIN for a stranger.
            guard
                case .done = try await hub.redeem(
                    by: huda, card: Self.card(2).hex, amount: 600, pin: "2468", key: "two-0001")
            else { throw HubError("household 2 could not pay") }
            #expect(
                try await hub.redeem(by: huda, card: "DEADBEEF00", amount: 1, pin: "2468", key: "who-0001")
                    == .refused(.noPIN))

            // The settlement is the sum of the receipts.
            let today = try #require(LocalDay(receipt.localDay))
            let olive = try await hub.settlement(cooperative: "olive-press", from: today, to: today)
            #expect(olive.receipts.map(\.seq) == [receipt.seq, voided.seq] && olive.net == 0)
            let womens = try await hub.settlement(cooperative: "womens-coop", from: today, to: today)
            #expect(womens.net == 600 && womens.redeemed == womens.receipts.map(\.amount).reduce(0, +))
            #expect(womens.csv.hasPrefix("\u{FEFF}seq,kind,local_day") && womens.csv.contains("\r\ntotal,net,"))
            #expect(try await hub.verifyRedemptions(against: womens.chainHead).isEmpty)
        }

        // Every desk action is audited with who did it.
        let audit = try postgres.psql("SELECT cashier, action FROM desk_audit ORDER BY id", database: "mizan")
        #expect(audit.contains("samira|redeem") && audit.contains("huda|wrong_pin") && audit.contains("samira|void"))
        // The hub's login cannot rewrite a redemption; a rewrite by the database's owner is found.
        #expect(throws: TemporaryPostgres.Failure.self) {
            try postgres.psql("SET ROLE mizan_hub; UPDATE redemptions SET amount = 1", database: "mizan")
        }
        try postgres.psql("UPDATE redemptions SET amount = 1 WHERE seq = 1", database: "mizan")
        let later = store(as: HubSchema.loginRole)
        let problems = try await later.whileRunning { try await later.verifyRedemptions() }
        #expect(problems.contains { $0.contains("redemption 1 does not match its hash") }, "\(problems)")
    }

    @Test func aThousandConcurrentRedemptionsWithRetriesNeverOverdrawNorApplyTwice() async throws {
        let households = 50
        let school = try kiosk("school", households: households, grams: 4_000)
        let (samira, huda) = try await village([("school", school)], households: households)
        let hub = store(as: HubSchema.loginRole)
        let (accepted, refusals) = try await hub.whileRunning {
            try await withThrowingTaskGroup(of: ([Receipt], Int).self) { group in
                for client in 0..<8 {
                    group.addTask {
                        var generator = SystemRandomNumberGenerator()
                        var receipts: [Receipt] = []
                        var refused = 0
                        for attempt in 0..<125 {
                            let card = Self.card(Int.random(in: 1...households, using: &generator)).hex
                            let amount = Int64.random(in: 1...200, using: &generator)
                            let key = "client\(client)-attempt\(attempt)"
                            let cashier = client % 2 == 0 ? samira : huda
                            // One in five sent twice at once, as a double tap or a retry racing the first.
                            var outcomes: [DeskOutcome]
                            if Int.random(in: 0..<5, using: &generator) == 0 {
                                async let first = hub.redeem(
                                    by: cashier, card: card, amount: amount, pin: "2468", key: key)
                                async let second = hub.redeem(
                                    by: cashier, card: card, amount: amount, pin: "2468", key: key)
                                outcomes = [try await first, try await second]
                            } else {
                                outcomes = [
                                    try await hub.redeem(by: cashier, card: card, amount: amount, pin: "2468", key: key)
                                ]
                            }
                            for outcome in outcomes {
                                switch outcome {
                                case let .done(receipt), let .repeated(receipt): receipts.append(receipt)
                                case .refused(.insufficient): refused += 1
                                case let .refused(other): throw HubError("unexpected refusal \(other)")
                                }
                            }
                        }
                        return (receipts, refused)
                    }
                }
                var all: [Receipt] = []
                var refused = 0
                for try await (receipts, count) in group {
                    all += receipts
                    refused += count
                }
                return (all, refused)
            }
        }
        let distinct = Dictionary(accepted.map { ($0.seq, $0) }, uniquingKeysWith: { first, _ in first })
        let inDatabase = try postgres.psql(
            "SELECT count(*), coalesce(sum(amount), 0) FROM redemptions", database: "mizan"
        )
        .trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(inDatabase == "\(distinct.count)|\(distinct.values.map(\.amount).reduce(0, +))")
        #expect(distinct.count + refusals > 0 && refusals > 0, "the households should run out of credit")
        let negative = try postgres.psql(
            """
            SELECT count(*) FROM (SELECT e.card_uid, sum(CASE WHEN e.credit_account LIKE 'household:%' THEN e.amount ELSE -e.amount END)
              - coalesce((SELECT sum(amount) FROM redemptions r WHERE r.card_uid = e.card_uid), 0) AS balance
              FROM entries e GROUP BY e.card_uid) b WHERE balance < 0
            """, database: "mizan")
        #expect(negative.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
        let verifier = store(as: HubSchema.loginRole)
        #expect(try await verifier.whileRunning { try await verifier.verifyRedemptions() }.isEmpty)
    }
}

@Suite("A household's PIN")
struct PINHashTests {
    @Test func aPINMatchesOnlyItselfAndItsHashIsSaltedAndSlow() throws {
        let stored = try PINHash.make("2468", logRounds: 10)
        #expect(stored.hasPrefix("scrypt$10$8$1$"))
        #expect(PINHash.matches("2468", stored) && !PINHash.matches("2469", stored) && !PINHash.matches("", stored))
        #expect(try PINHash.make("2468", logRounds: 10) != stored)
        for forged in ["", "scrypt$10$8$1$$", "plain$2468", stored.replacingOccurrences(of: "$10$", with: "$30$")] {
            #expect(!PINHash.matches("2468", forged))
        }
        #expect(PINHash.isAcceptable("0000") && PINHash.isAcceptable("12345678"))
        #expect(!PINHash.isAcceptable("123") && !PINHash.isAcceptable("123456789") && !PINHash.isAcceptable("12a4"))
        #expect(!PINHash.isAcceptable("١٢٣٤"))
    }
}

extension HubRedemptionTests {
    /// One HTTP exchange with the desk; status, headers, body.
    func exchange(
        _ url: String, method: String = "GET", headers: [String: String] = [:], body: String? = nil
    ) async
        -> (status: Int, headers: [String: String], body: String)
    {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        request.httpBody = body.map { Data($0.utf8) }
        return await withCheckedContinuation { continuation in
            URLSession.shared.dataTask(with: request) { data, response, _ in
                let http = response as? HTTPURLResponse
                var fields: [String: String] = [:]
                for (name, value) in http?.allHeaderFields ?? [:] { fields["\(name)".lowercased()] = "\(value)" }
                continuation.resume(
                    returning: (http?.statusCode ?? 0, fields, String(decoding: data ?? Data(), as: UTF8.self)))
            }.resume()
        }
    }

    @Test func theDeskRefusesStrangersOtherSitesAndGarbage() async throws {
        let school = try kiosk("school", households: 1, grams: 1_000)
        _ = try await village([("school", school)], households: 1)
        let admin = store()
        let (token, clinicKey) = try await admin.whileRunning {
            (
                try await admin.addCashier(id: "amal", cooperative: "olive-press"),
                try await admin.enrol(kiosk: "clinic", timeZone: "Asia/Hebron")
            )
        }
        let hub = store(as: HubSchema.loginRole)
        let application = Application(
            router: HubRoutes.router(store: hub, municipalityToken: "mzm_test"),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)), services: [hub.client],
            onServerRunning: { channel in Self.port.withLock { $0 = channel.localAddress?.port ?? 0 } })
        let serving = Task { try await application.runService() }
        defer { serving.cancel() }
        for _ in 0..<200 where Self.port.withLock({ $0 }) == 0 { try await Task.sleep(for: .milliseconds(25)) }
        let base = "http://127.0.0.1:\(Self.port.withLock { $0 })"
        let desk = ["Content-Type": "application/json", "X-Mizan-Desk": "1"]
        let card = Self.card(1).hex

        let page = await exchange(base + "/desk")
        #expect(page.status == 200 && page.headers["content-security-policy"]?.contains("script-src 'self'") == true)
        #expect(!page.body.contains("<script>") && !page.body.contains("style="))
        // A stranger, a wrong token, another site's form (no X-Mizan-Desk): no.
        let redeem = "{\"card\":\"\(card)\",\"amount\":\"1\",\"pin\":\"2468\",\"key\":\"stranger-1\"}"
        #expect(await exchange(base + "/desk/api/redeem", method: "POST", headers: desk, body: redeem).status == 401)
        #expect(
            await exchange(base + "/desk/login", method: "POST", headers: desk, body: "{\"token\":\"mzc_guess\"}")
                .status == 401)
        let login = await exchange(
            base + "/desk/login", method: "POST", headers: desk, body: "{\"token\":\"\(token)\"}")
        let cookie = try #require(login.headers["set-cookie"])
        #expect(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict") && login.status == 200)
        let session = "mizan_cashier=\(token)"
        let forged = await exchange(
            base + "/desk/api/redeem", method: "POST", headers: ["Content-Type": "text/plain", "Cookie": session],
            body: redeem)
        #expect(forged.status == 400 && forged.body.contains("bad_request"))
        // Garbage, odd amounts, a huge body: refused in plain words, nothing debited.
        var logged = desk
        logged["Cookie"] = session
        for body in [
            "not json", "{}", "{\"card\":\"\(card)\",\"amount\":\"1e3\",\"pin\":\"2468\",\"key\":\"odd-amount-1\"}",
            "{\"card\":\"\(card)\",\"amount\":\"-5\",\"pin\":\"2468\",\"key\":\"odd-amount-2\"}",
            "{\"card\":\"<script>\",\"amount\":\"1\",\"pin\":\"2468\",\"key\":\"odd-card-01\"}",
            "{\"card\":\"\(card)\",\"amount\":\"1\",\"pin\":\"2468\",\"key\":\"\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}\"}",
            String(repeating: "x", count: 100_000),
        ] {
            let answer = await exchange(base + "/desk/api/redeem", method: "POST", headers: logged, body: body)
            #expect(answer.status == 400 && answer.body.contains("message_ar"), "\(body.prefix(60)): \(answer)")
        }
        let paid = await exchange(base + "/desk/api/redeem", method: "POST", headers: logged, body: redeem)
        #expect(paid.status == 200 && paid.body.contains("\"seq\":1"), "\(paid.body)")
        // Another cooperative's receipt is not shown; the municipality's reads need its token.
        #expect(await exchange(base + "/desk/receipt/1", headers: ["Cookie": session]).status == 200)
        #expect(
            await exchange(base + "/api/v1/settlement?cooperative=olive-press&from=2026-01-01&to=2026-12-31").status
                == 401)
        // The municipality's pages: the settlement (the sum of the receipts, the head to keep) and a statement.
        let day = try #require(paid.body.firstMatch(of: /"local_day":"(\d{4}-\d{2}-\d{2})"/)?.1)
        let settled = await exchange(
            base + "/municipality/settlement?token=mzm_test&cooperative=olive-press&from=\(day)&to=\(day)")
        #expect(settled.status == 200 && settled.body.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(settled.body.contains("<bdi id=\"net\">1.00</bdi>") && settled.body.contains("id=\"chain-head\">1 · "))
        let hostile = await exchange(
            base + "/municipality/settlement?token=mzm_test&cooperative=%3Cscript%3E&from=\(day)&to=\(day)")
        #expect(hostile.body.contains("&lt;script&gt;") && !hostile.body.contains("<script>"))
        let statement = await exchange(base + "/municipality/statement?token=mzm_test&card=\(card)")
        #expect(
            statement.status == 200 && statement.body.contains("Household 1") && statement.body.contains("olive-press"))
        #expect(await exchange(base + "/municipality/statement?card=\(card)").status == 401)
        // A kiosk's screen reads a household's balance across the village with its own key.
        let village = await exchange(
            base + "/api/v1/kiosk/village-balance?card=\(card)", headers: ["Authorization": "Bearer \(clinicKey)"])
        #expect(
            village.status == 200 && village.body.contains("\"balance\":200")
                && village.body.contains("\"earned_here\":0"), "\(village.body)")
        #expect(
            await exchange(
                base + "/api/v1/kiosk/village-balance?card=\(card)", headers: ["Authorization": "Bearer mzk_guess"]
            ).status == 401)
        // A revoked login stops at once.
        let later = store()
        try await later.whileRunning { _ = try await later.revokeCashier(id: "amal") }
        #expect(await exchange(base + "/desk/api/me", headers: ["Cookie": session]).status == 401)
        let problems = try await hub.verifyRedemptions()
        #expect(problems.isEmpty, "\(problems)")
    }

    static let port = Guarded(0)
}
