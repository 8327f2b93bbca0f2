import Foundation
import GRDBSQLite
import MizanCore
import MizanLedger

/// The ledger on this machine's disk: committed deposits per second through
/// the full path (deposit row, double entry, hash chain, balances) against a
/// bare one-row INSERT transaction through the SQLite C API with the same
/// pragmas, in the same run; then `totals` for one day and `verify` over a
/// large ledger.
func runLedgerBenchmark(commits: Int, deposits: Int) {
    // On the working directory's file system, not /tmp (often a tmpfs,
    // where fsync costs nothing and the comparison would mean little).
    let directory = FileManager.default.currentDirectoryPath + "/.build/bench-ledger-\(getpid())"
    try? FileManager.default.removeItem(atPath: directory)
    try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: directory) }

    print("Mizan ledger benchmark (files under \(directory))")
    print("  \(commits) commits each, interleaved in 10 rounds, each a durable transaction (WAL, synchronous=FULL)")
    do {
        var bareTime = 0.0
        var shapedTime = 0.0
        var ledgerTime = 0.0
        let (ledger, household) = try benchLedger(
            path: directory + "/ledger.sqlite", kioskID: "bench", card: "BE0C000001")
        let bare = try BareSQLite(path: directory + "/bare.sqlite")
        let shaped = try ledgerShapedWrites(path: directory + "/shaped.sqlite")
        var sequence: Int64 = 0
        var shapedSequence: Int64 = 0
        // Warm up the files (WAL created and grown) before measuring.
        _ = try measure(commits / 3) { index in try bare.insert(Int64(index)) }
        _ = try measure(commits / 3) { _ in
            shapedSequence += 1
            try shaped.commit(shapedSequence)
        }
        _ = try measure(commits / 3) { _ in
            sequence += 1
            try ledger.commitDeposit(sampleDeposit(sequence, household: household), at: clockNow())
        }
        // Interleaved so that both see the same disk weather.
        let perRound = max(1, commits / 10)
        for _ in 0..<10 {
            bareTime += Double(perRound) / (try measure(perRound) { index in try bare.insert(Int64(index)) })
            shapedTime +=
                Double(perRound)
                / (try measure(perRound) { _ in
                    shapedSequence += 1
                    try shaped.commit(shapedSequence)
                })
            ledgerTime +=
                Double(perRound)
                / (try measure(perRound) { _ in
                    sequence += 1
                    try ledger.commitDeposit(sampleDeposit(sequence, household: household), at: clockNow())
                })
        }
        let bareRate = Double(perRound * 10) / bareTime
        let shapedRate = Double(perRound * 10) / shapedTime
        let ledgerRate = Double(perRound * 10) / ledgerTime
        print("  bare INSERT transaction (C API):        \(format(bareRate)) commits/s")
        print("  the ledger's rows alone (C API):         \(format(shapedRate)) commits/s")
        print("  full ledger commit (deposit+entry+hash): \(format(ledgerRate)) deposits/s")
        print("  ledger / bare:                           \(format(ledgerRate / bareRate, decimals: 3))")
        print(
            "  the rows' own cost (rows alone / bare):  \(format(shapedRate / bareRate, decimals: 3)); the code's (ledger / rows alone): \(format(ledgerRate / shapedRate, decimals: 3))"
        )
        // What each commit writes: WAL frames (one a page) from an emptied WAL.
        let ledgerPages = try walPagesPerCommit(
            walPath: directory + "/ledger.sqlite-wal", checkpoint: ledger.checkpoint
        ) {
            sequence += 1
            try ledger.commitDeposit(sampleDeposit(sequence, household: household), at: clockNow())
        }
        let barePages = try walPagesPerCommit(
            walPath: directory + "/bare.sqlite-wal", checkpoint: bare.connection.checkpoint
        ) {
            try bare.insert(1)
        }
        let shapedPages = try walPagesPerCommit(
            walPath: directory + "/shaped.sqlite-wal", checkpoint: shaped.connection.checkpoint
        ) {
            shapedSequence += 1
            try shaped.commit(shapedSequence)
        }
        print(
            "  pages written to the WAL per commit:      ledger \(format(ledgerPages.pages, decimals: 1)), rows alone \(format(shapedPages.pages, decimals: 1)), bare \(format(barePages.pages, decimals: 1)) (\(ledgerPages.pageSize)-byte pages)"
        )
        print(
            "  the last deposit commit's pages, by table or index: "
                + lastCommitPages(database: directory + "/ledger.sqlite").map { "\($0.name) \($0.pages)" }
                .joined(separator: ", "))
    } catch {
        print("  commit benchmark failed: \(error)")
    }

    print("  building a ledger of \(deposits) deposits over 365 days for totals and verify…")
    do {
        let start = WallClockTime(millisecondsSinceEpoch: 1_767_225_600_000)  // 2026-01-01
        let (ledger, household) = try benchLedger(
            path: directory + "/large.sqlite", kioskID: "bench", card: "BE0C000002",
            at: LedgerClockReading(wall: start, synchronized: true))
        let perDay = max(1, deposits / 365)
        var sequence: Int64 = 0
        let buildClock = ContinuousClock()
        let buildStart = buildClock.now
        for day in 0..<365 {
            let count = day == 364 ? deposits - perDay * 364 : perDay
            guard count > 0 else { continue }
            var batch: [DepositRecord] = []
            batch.reserveCapacity(count)
            for _ in 0..<count {
                sequence += 1
                batch.append(sampleDeposit(sequence, household: sequence % 3 == 0 ? nil : household))
            }
            let wall = WallClockTime(
                millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(day) * 86_400_000 + 36_000_000)
            try ledger.commitDeposits(batch, at: LedgerClockReading(wall: wall, synchronized: true))
        }
        let built = buildClock.now - buildStart
        print(
            "  built in \(format(Double(built.components.seconds), decimals: 0)) s (\(format(Double(deposits) / max(0.001, seconds(built)))) deposits/s in batches of one day)"
        )

        let day = LocalDay(year: 2026, month: 7, day: 1)
        _ = try ledger.totals(for: day)
        var bestTotals = Duration.seconds(1_000)
        var figures: DailyTotals?
        for _ in 0..<5 {
            let clock = ContinuousClock()
            let begin = clock.now
            figures = try ledger.totals(for: day)
            bestTotals = min(bestTotals, clock.now - begin)
        }
        print(
            "  totals for one day (\(figures?.total.deposits ?? 0) deposits that day): \(format(seconds(bestTotals) * 1000, decimals: 2)) ms"
        )

        let clock = ContinuousClock()
        let begin = clock.now
        let report = try ledger.verify()
        let elapsed = clock.now - begin
        print(
            "  verify: \(report.journalLinks) journal links in \(format(seconds(elapsed), decimals: 2)) s = \(format(Double(report.journalLinks) / seconds(elapsed))) links/s (ok: \(report.ok))"
        )
    } catch {
        print("  large-ledger benchmark failed: \(error)")
    }
}

private func seconds(_ duration: Duration) -> Double {
    Double(duration.nanoseconds) / 1e9
}

private func measure(_ count: Int, _ body: (Int) throws -> Void) throws -> Double {
    let clock = ContinuousClock()
    let start = clock.now
    for index in 0..<count { try body(index) }
    return Double(count) / seconds(clock.now - start)
}

/// Frames appended to the WAL by `commit`, averaged over 20 commits from a
/// WAL emptied by a TRUNCATE checkpoint (each frame: one page + 24 bytes; the
/// file starts with a 32-byte header that also gives the page size).
private func walPagesPerCommit(
    walPath: String, checkpoint: () throws -> Void, commit: () throws -> Void
) throws -> (pages: Double, pageSize: Int) {
    try checkpoint()
    let commits = 20
    for _ in 0..<commits { try commit() }
    guard let wal = FileManager.default.contents(atPath: walPath), wal.count >= 32 else { return (0, 0) }
    let pageSize = wal[8..<12].reduce(0) { $0 << 8 | Int($1) }
    guard pageSize > 0 else { return (0, 0) }
    return (Double((wal.count - 32) / (pageSize + 24)) / Double(commits), pageSize)
}

/// The b-trees (tables and indexes) whose pages the WAL's last commit wrote:
/// frame headers give page numbers (the commit's last frame carries the
/// database size), SQLite's `dbstat` table names each page's owner.
private func lastCommitPages(database: String) -> [(name: String, pages: Int)] {
    guard let wal = FileManager.default.contents(atPath: database + "-wal"), wal.count > 32 else { return [] }
    let bytes = [UInt8](wal)
    func word(_ offset: Int) -> Int { bytes[offset..<offset + 4].reduce(0) { $0 << 8 | Int($1) } }
    let pageSize = word(8)
    var commits: [[Int]] = []
    var current: [Int] = []
    var offset = 32
    while offset + 24 + pageSize <= bytes.count {
        current.append(word(offset))
        if word(offset + 4) != 0 {
            commits.append(current)
            current = []
        }
        offset += 24 + pageSize
    }
    guard let last = commits.last else { return [] }
    var connection: OpaquePointer?
    defer { sqlite3_close(connection) }
    guard sqlite3_open_v2(database, &connection, SQLITE_OPEN_READONLY, nil) == SQLITE_OK else { return [] }
    var statement: OpaquePointer?
    defer { sqlite3_finalize(statement) }
    guard sqlite3_prepare_v2(connection, "SELECT name FROM dbstat WHERE pageno = ?1", -1, &statement, nil) == SQLITE_OK
    else { return [("(dbstat not compiled in)", last.count)] }
    var owners: [String: Int] = [:]
    for page in last {
        sqlite3_bind_int64(statement, 1, Int64(page))
        let name =
            sqlite3_step(statement) == SQLITE_ROW ? String(cString: sqlite3_column_text(statement, 0)) : "page \(page)"
        owners[name, default: 0] += 1
        sqlite3_reset(statement)
    }
    return owners.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
}

private func clockNow() -> LedgerClockReading {
    LedgerClockReading(
        wall: WallClockTime(millisecondsSinceEpoch: Int64(Date().timeIntervalSince1970 * 1000)), synchronized: true)
}

private func sampleDeposit(_ sequence: Int64, household: HouseholdID?) -> DepositRecord {
    let grams = 200 + sequence % 4_000
    let value = household == nil ? 0 : grams * 300
    return DepositRecord(
        id: DepositID(kioskID: "bench", sequence: sequence), session: nil, household: household, bin: "plastic",
        material: "plastic", binsOpened: ["plastic"], baseline: Grams(0), final: Grams(grams), net: Grams(grams),
        creditedGrams: household == nil ? .zero : Grams(grams), priceVersion: household == nil ? nil : 1,
        ratePerKilogram: household == nil ? nil : 300, credit: value / 1000, currencyCode: "XBZ", carryIn: .zero,
        carryOut: CreditCarry(thousandths: value % 1000) ?? .zero, reason: household == nil ? .anonymous : .credited,
        lidOpenedAt: .origin, lidClosedAt: nil, decidedAt: .origin
    )
}

/// A ledger with one household and plastic at 300 a kilogram.
private func benchLedger(
    path: String, kioskID: String, card: String, at clock: LedgerClockReading = clockNow()
) throws -> (Ledger, HouseholdID) {
    let ledger = try Ledger.open(path: path, kioskID: kioskID)
    let household = try ledger.registerHousehold(card: CardUID(card)!, name: "Bench", actor: "bench", at: clock).id
    try ledger.publishPrices(
        PriceTable(
            version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: ["plastic": 300]),
        actor: "bench", at: clock
    )
    return (ledger, household)
}

/// A ledger file made by the `Ledger` (schema, a household, prices) and then
/// written only through `LedgerShapedWrites`.
private func ledgerShapedWrites(path: String) throws -> LedgerShapedWrites {
    // The Ledger's connections are closed before the bare one opens.
    let household = try benchLedger(path: path, kioskID: "shape", card: "BE0C000003").1
    return try LedgerShapedWrites(path: path, household: household.rawValue)
}
