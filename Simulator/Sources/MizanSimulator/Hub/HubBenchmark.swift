import Foundation
import MizanCore
import MizanHub
import MizanLedger

/// The hub on a real PostgreSQL: ingest (each link checked against the one
/// before it, its row broken out) against a bare `COPY` of the same rows in
/// the same run, and a day's fleet totals over 100 kiosks × a year of
/// deposits. Prints figures; asserts nothing.
public enum HubBenchmark {
    public static func run(deposits: Int, fleetRows: Int, say: @escaping @Sendable (String) -> Void) async throws {
        let postgres = try TemporaryPostgres()
        defer { postgres.stop() }
        try postgres.psql("CREATE DATABASE mizan")
        say("hub benchmark (PostgreSQL \(postgres.binaries.split(separator: "/").dropLast().last ?? "?"), fsync on)")
        let store = HubStore(.init(host: "127.0.0.1", port: postgres.port, user: postgres.superuser, database: "mizan"))
        let directory = postgres.directory + "/kiosk"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let links = try kioskLinks(deposits: deposits, in: directory)
        try await store.whileRunning {
            _ = try await store.migrate()
            _ = try await store.enrol(kiosk: "bench", timeZone: "Asia/Hebron")
            let started = ContinuousClock.now
            var offset = 0
            while offset < links.count {
                let batch = Array(links[offset..<min(links.count, offset + 500)])
                guard case .accepted = try await store.ingest(kiosk: "bench", links: batch) else {
                    say("  ingest refused a batch at \(offset)")
                    return
                }
                offset += batch.count
            }
            let ingest = Double(links.count) / seconds(since: started)

            // The bare baseline: the same link rows, COPY'd into a table of the same shape.
            let csv = postgres.directory + "/links.csv"
            let rows: [String] = links.map { link in
                let fields: [String] = [
                    "bench", String(link.seq), link.kind, link.subject, String(link.recordedAtMs),
                    String(link.wallClockMs), String(link.clockSynchronized), String(link.clockAnomaly),
                    link.contentHash, link.prevHash, link.hash, "{}",
                ]
                return fields.joined(separator: "\t")
            }
            try (rows.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
            try postgres.psql(
                "CREATE TABLE links_copy (LIKE links INCLUDING DEFAULTS); ALTER TABLE links_copy ADD PRIMARY KEY (kiosk, seq)",
                database: "mizan")
            let copyStarted = ContinuousClock.now
            try postgres.psql(
                "\\copy links_copy (kiosk, seq, kind, subject, recorded_at_ms, wall_clock_ms, clock_synchronized, clock_anomaly, content_hash, prev_hash, hash, row_values) FROM '\(csv)'",
                database: "mizan")
            let copy = Double(links.count) / seconds(since: copyStarted)
            say("  ingest: \(links.count) links (\(deposits) deposits) in batches of 500: \(Int(ingest)) links/s")
            say(
                "  bare COPY of the same link rows (no check, no rows broken out; psql's own start included): \(Int(copy)) links/s; ingest / COPY = \(String(format: "%.3f", ingest / copy))"
            )

            // A village grown to a nation's scale: 100 kiosks, a year, fleetRows deposits.
            let built = ContinuousClock.now
            try postgres.psql(
                """
                INSERT INTO kiosks (id, key_sha256, time_zone)
                  SELECT 'k' || i, sha256(('k' || i)::bytea), 'Asia/Hebron' FROM generate_series(1, 100) i;
                INSERT INTO deposits (kiosk, id, card_uid, household_id, material, net_g, credited_g, credit, reason,
                    recorded_at_ms, local_day)
                  SELECT 'k' || (1 + i % 100), 'k' || (1 + i % 100) || '-D' || i, lpad(to_hex(i % 20000), 10, '0'), i % 20000,
                    (ARRAY['plastic', 'metal', 'paper', 'glass', 'organic'])[1 + (i / 7) % 5], 1000 + i % 3000, 1000 + i % 3000,
                    300 + i % 900, 'credited', 1767225600000 + i::bigint * 3153, date '2026-01-01' + (i::bigint * 365 / \(fleetRows))::int
                  FROM generate_series(1, \(fleetRows)) i;
                \(HubSchema.rollupBackfill)
                ANALYZE deposits; ANALYZE day_totals; ANALYZE day_households;
                """, database: "mizan")
            say("  fleet: \(fleetRows) deposits over 100 kiosks × 365 days built in \(Int(seconds(since: built))) s")
            var timings: [Double] = []
            var kiosks = 0
            var dayDeposits = 0
            for _ in 0..<7 {
                let queried = ContinuousClock.now
                let totals = try await store.fleetTotals(day: LocalDay(year: 2026, month: 7, day: 1))
                (kiosks, dayDeposits) = (totals.kiosks.count, totals.villageTotal.deposits)
                timings.append(seconds(since: queried) * 1000)
            }
            timings.sort()
            say(
                "  fleet totals for one day (\(kiosks) kiosks' mizan.daily-totals.v1 from \(dayDeposits) deposits): median \(String(format: "%.1f", timings[3])) ms, max \(String(format: "%.1f", timings.last ?? 0)) ms over 7 queries (the day rollups day_totals and day_households; each kiosk's chain head by links_by_time)"
            )
        }
    }

    static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }

    /// A kiosk's ledger with `deposits` credited deposits, its links read out.
    static func kioskLinks(deposits: Int, in directory: String) throws -> [JournalLinkExport] {
        let ledger = try Ledger.open(path: directory + "/ledger.sqlite", kioskID: "bench")
        let clock = LedgerClockReading(
            wall: WallClockTime(millisecondsSinceEpoch: 1_795_420_800_000), synchronized: true)
        let card = CardUID("0A1B2C3D4E")!
        let household = try ledger.registerHousehold(card: card, name: "Bench", actor: "bench", at: clock)
        try ledger.publishPrices(
            PriceTable(
                version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: ["plastic": 300]),
            actor: "bench", at: clock)
        let session = SessionID(kioskID: "bench", sequence: 1)
        try ledger.recordSessionOpened(
            SessionOpening(id: session, household: household.id, card: card, at: .origin), at: clock)
        let records = (1...deposits).map { sequence in
            let grams = Int64(1_000 + sequence % 500)
            return DepositRecord(
                id: DepositID(kioskID: "bench", sequence: Int64(sequence)), session: session, household: household.id,
                bin: "plastic", material: "plastic", binsOpened: ["plastic"], baseline: .zero, final: Grams(grams),
                net: Grams(grams), creditedGrams: Grams(grams), priceVersion: 1, ratePerKilogram: 300,
                credit: grams * 300 / 1000, currencyCode: "XBZ", carryIn: .zero,
                carryOut: CreditCarry(thousandths: grams * 300 % 1000)!, reason: .credited, lidOpenedAt: .origin,
                lidClosedAt: .seconds(1), decidedAt: .seconds(2))
        }
        try ledger.commitDeposits(records, at: clock)
        var links: [JournalLinkExport] = []
        while true {
            let batch = try ledger.journalLinks(after: links.last?.seq ?? 0, limit: 5_000)
            if batch.isEmpty { return links }
            links += batch
        }
    }
}
