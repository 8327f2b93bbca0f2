import Foundation
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

@Suite("Replay: a recorded day through the engine, the state machine and a real ledger", .serialized)
struct ReplayTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static let tracePath = root.appendingPathComponent("Traces/standard-day.jsonl").path
    static let goldenPath = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent(
        "Golden/standard-day.txt"
    ).path
    static var updating: Bool { ProcessInfo.processInfo.environment["MIZAN_UPDATE_GOLDEN"] == "1" }

    func replay(_ events: [TraceEvent]) throws -> (ReplayKiosk, Ledger, String) {
        let directory = FileManager.default.temporaryDirectory.path + "/mizan-replay-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        var configuration = KioskConfiguration()
        configuration.kioskID = "sim-01"
        let ledger = try Ledger.open(path: directory + "/ledger.sqlite", kioskID: "sim-01")
        try StandardDay.prepare(ledger)
        let kiosk = try ReplayKiosk(
            configuration: try configuration.validated(), ledger: ledger, wallStart: StandardDay.wallStart)
        kiosk.run(events)
        return (kiosk, ledger, directory)
    }

    @Test func theCheckedInTraceIsWhatTheRecorderMakes() throws {
        let recorded = Trace.encode(StandardDay.trace())
        if Self.updating { try recorded.write(toFile: Self.tracePath, atomically: true, encoding: .utf8) }
        let stored = try String(contentsOfFile: Self.tracePath, encoding: .utf8)
        #expect(stored == recorded, "regenerate with MIZAN_UPDATE_GOLDEN=1 swift test --filter ReplayTests")
    }

    @Test func theStandardDayReplaysToItsGoldenAccount() throws {
        let events = try Trace.decode(try String(contentsOfFile: Self.tracePath, encoding: .utf8))
        let (kiosk, ledger, directory) = try replay(events)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        #expect(kiosk.failures.isEmpty, "\(kiosk.failures)")
        let totals = try ledger.totals(for: LocalDay(year: 2026, month: 11, day: 23))
        var text = kiosk.account.joined(separator: "\n") + "\n\n"
        text += TotalsTable.render(TotalsReport(kioskID: ledger.kioskID, days: [totals]), currency: ledger.currency)
        if Self.updating { try text.write(toFile: Self.goldenPath, atomically: true, encoding: .utf8) }
        let golden = try String(contentsOfFile: Self.goldenPath, encoding: .utf8)
        #expect(
            text == golden,
            "regenerate with MIZAN_UPDATE_GOLDEN=1 swift test --filter ReplayTests, then review the diff")

        // What the day must show, whatever the wording of the account.
        let deposits = try #require(try ledger.export().tables["deposits"])
        let reasons = deposits.compactMap { $0["reason"]?.text }
        #expect(reasons == ["credited", "credited", "below_minimum", "anonymous", "credited", "ambiguous_bin"])
        let nets = deposits.compactMap { $0["net_g"]?.integer }
        #expect(nets == [1_250, 2_000, 150, 3_000, 800, 500])
        #expect(totals.total.creditIssued == 375 + 1_600 + 80)
        #expect(totals.householdsServed == 2)
        #expect(kiosk.account.contains { $0.contains("card DEADBEEF00 refused (unknown_card)") })
        #expect(kiosk.account.contains { $0.contains("card B10C4ED000 refused (blocked_card)") })
        #expect(kiosk.account.contains { $0.contains("closed (idle_timeout)") })
        #expect(try ledger.verify().ok)
    }

    @Test func aTraceOutOfOrderIsRefusedWithItsLine() {
        let text = "{\"scale_mg\":0,\"t_us\":100}\n{\"scale_mg\":0,\"t_us\":50}\n"
        #expect(throws: Trace.FormatError.self) { try Trace.decode(text) }
        do {
            _ = try Trace.decode("{\"t_us\":1}\n")
        } catch {
            #expect(error.line == 1)
        }
    }
}
