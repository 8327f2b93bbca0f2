import Foundation
import Glibc
import MizanCore
import MizanLedger

/// The cooperatives' service under load, inside the real daemon while the
/// simulated scale streams 80 readings a second: requests per second for a
/// day's totals over a large ledger, and the stable-to-commit latency of
/// deposits made meanwhile, against the same deposits made without load.
public enum CooperativeServiceBenchmark {
    public static func run(
        daemonPath: String, ledgerDeposits: Int, deposits: Int, clients: Int, say: (String) -> Void
    ) throws {
        let port = LoopbackPort.free()
        let kiosk = try LiveKiosk(
            daemonPath: daemonPath, extraConfiguration: "http: {enabled: true, bind: 127.0.0.1, port: \(port)}",
            scaleLinesPerSecond: 80)
        defer { kiosk.shutdown() }
        let card = CardUID("0A1B2C3D4E")!
        var token = ""
        say("cooperatives' HTTP service under load (\(ledgerDeposits) deposits in the ledger, scale at 80 lines/s)")
        let seeding = ContinuousClock.now
        try kiosk.prepareLedger { ledger in
            let setUp = LedgerClockReading(
                wall: WallClockTime(millisecondsSinceEpoch: 1_735_689_600_000), synchronized: true)  // 2025-01-01
            let household = try ledger.registerHousehold(card: card, name: "Bench", actor: "bench", at: setUp).id
            try ledger.publishPrices(
                PriceTable(
                    version: 1, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: ["plastic": 300]),
                actor: "bench", at: setUp
            )
            try seed(ledger, deposits: ledgerDeposits, household: household, from: setUp.wall)
            token = try ledger.createCooperativeToken(cooperative: "Bench Cooperative", actor: "bench", at: setUp).token
        }
        say("  ledger built in \((ContinuousClock.now - seeding).components.seconds) s")
        try kiosk.startDaemon()
        try kiosk.startWeb()
        guard kiosk.waitForLog("mizand ready", timeout: .seconds(30)), kiosk.waitForWebLog("HTTP service on") else {
            say("  mizand or mizan-web did not become ready:\n\(kiosk.log)\n\(kiosk.webLog)")
            return
        }
        kiosk.wait(seconds: 3)

        let quiet = depositLatencies(kiosk, card: card, count: deposits)
        let path = "/api/v1/totals?day=2025-07-01"
        let load = HTTPLoad(port: port, path: path, token: token, clients: clients)
        let started = ContinuousClock.now
        let busy = depositLatencies(kiosk, card: card, count: deposits)
        let elapsed = ContinuousClock.now - started
        load.stop(clients: clients)
        kiosk.stopWeb()
        kiosk.stopDaemon()

        let seconds = Double(elapsed.nanoseconds) / 1e9
        say(
            "  GET \(path): \(String(format: "%.0f", Double(load.requestsAnswered) / seconds)) requests/s (\(load.requestsAnswered) in \(String(format: "%.1f", seconds)) s, \(clients) clients kept alive, \(load.requestsFailed) failed)"
        )
        guard !quiet.isEmpty, !busy.isEmpty else {
            say("  no deposit latencies in the log:\n\(kiosk.log.suffix(2_000))")
            return
        }
        func percentile(_ values: [Int64], _ p: Double) -> Int64 {
            values[min(values.count - 1, Int(Double(values.count - 1) * p))]
        }
        say("  deciding sample → deposit committed, \(quiet.count) deposits each:")
        say("    without load: p50 \(percentile(quiet, 0.5)) µs, p99 \(percentile(quiet, 0.99)) µs")
        say(
            "    with load:    p50 \(percentile(busy, 0.5)) µs, p99 \(percentile(busy, 0.99)) µs (p50 ratio \(String(format: "%.2f", Double(percentile(busy, 0.5)) / Double(max(1, percentile(quiet, 0.5))))))"
        )
    }

    /// Deposits `count` items in one session; returns their commit latencies, sorted.
    static func depositLatencies(_ kiosk: LiveKiosk, card: CardUID, count: Int) -> [Int64] {
        let before = kiosk.log.utf8.count
        kiosk.tap(card)
        kiosk.wait(seconds: 0.5)
        for index in 0..<count {
            kiosk.deposit(Int64(300 + index * 10), into: "plastic")
        }
        kiosk.tap(card)
        kiosk.wait(seconds: 1)
        let log = kiosk.log
        return DaemonBenchmark.commitLatencies(
            in: log[log.utf8.index(log.startIndex, offsetBy: min(before, log.utf8.count))...])
    }

    static func seed(_ ledger: Ledger, deposits: Int, household: HouseholdID, from start: WallClockTime) throws {
        let days = 300
        let perDay = max(1, deposits / days)
        var sequence: Int64 = 0
        for day in 0..<days {
            let count = day == days - 1 ? deposits - perDay * (days - 1) : perDay
            guard count > 0 else { continue }
            var batch: [DepositRecord] = []
            batch.reserveCapacity(count)
            for _ in 0..<count {
                sequence += 1
                let grams = 500 + sequence % 2_000
                batch.append(
                    DepositRecord(
                        id: DepositID(kioskID: "sim-live", sequence: sequence), session: nil,
                        household: sequence % 3 == 0 ? nil : household,
                        bin: "plastic", material: "plastic", binsOpened: ["plastic"], baseline: Grams(0),
                        final: Grams(grams), net: Grams(grams),
                        creditedGrams: sequence % 3 == 0 ? .zero : Grams(grams),
                        priceVersion: sequence % 3 == 0 ? nil : 1,
                        ratePerKilogram: sequence % 3 == 0 ? nil : 300,
                        credit: sequence % 3 == 0 ? 0 : grams * 300 / 1000,
                        currencyCode: "XBZ", carryIn: .zero,
                        carryOut: CreditCarry(thousandths: sequence % 3 == 0 ? 0 : grams * 300 % 1000)!,
                        reason: sequence % 3 == 0 ? .anonymous : .credited, lidOpenedAt: .origin, lidClosedAt: nil,
                        decidedAt: .origin
                    ))
            }
            let wall = WallClockTime(
                millisecondsSinceEpoch: start.millisecondsSinceEpoch + Int64(day) * 86_400_000 + 36_000_000)
            try ledger.commitDeposits(batch, at: LedgerClockReading(wall: wall, synchronized: true))
        }
    }
}
