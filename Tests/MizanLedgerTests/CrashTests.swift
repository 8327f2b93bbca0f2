import Foundation
import Testing
@testable import MizanCore
@testable import MizanLedger

@Suite("Ledger: killed mid-commit")
struct CrashTests {
    /// The crash child sits next to the test bundle in the build directory.
    static var childPath: String {
        let directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let beside = directory.appendingPathComponent("ledger-crash-child").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        return Bundle.main.bundleURL.deletingLastPathComponent().appendingPathComponent("ledger-crash-child").path
    }

    /// A child commits deposits as fast as it can and is killed with SIGKILL
    /// at a random moment, again and again. After every kill the ledger
    /// verifies, and every deposit the child reported is there exactly once.
    /// 25 kills here; `make soak` sets MIZAN_SIGKILLS=1000 and reads the
    /// figures it prints.
    @Test func sigkillDuringCommitsLosesNothingReportedAndDuplicatesNothing() throws {
        let directory = TemporaryDirectory()
        let path = directory.file("ledger.sqlite")
        do {
            let ledger = try Ledger.open(path: path, kioskID: "crash")
            try ledger.registerHousehold(
                card: CardUID("C0FFEE0001")!, name: "Crash test", actor: "test", at: LedgerFixtures.clock())
            try ledger.publishPrices(LedgerFixtures.prices, actor: "test", at: LedgerFixtures.clock())
        }
        var generator = SeededRandom(seed: 42)
        var reported = Set<String>()
        var reportedCredit: Int64 = 0
        let kills = ProcessInfo.processInfo.environment["MIZAN_SIGKILLS"].flatMap { Int($0) } ?? 25
        var doubled = 0
        var missing = 0
        for round in 0..<kills {
            let next = try Ledger.openExisting(path: path, readOnly: true).nextSequences().deposit
            // Every few rounds the child restarts from an earlier sequence,
            // as a daemon might retry a commit it never heard back about.
            let first = round % 5 == 4 ? max(1, next - 3) : next
            let lines = try runAndKill(
                childPath: Self.childPath, arguments: [path, String(first)],
                afterMicroseconds: 20_000 + generator.next() % 180_000)
            for line in lines {
                let parts = line.split(separator: " ")
                guard parts.count == 3, parts[0] == "committed" else {
                    Issue.record("unexpected output from the child: \(line)")
                    continue
                }
                if reported.insert(String(parts[1])).inserted { reportedCredit += Int64(parts[2]) ?? 0 }
            }
            let ledger = try Ledger.openExisting(path: path, readOnly: true)
            let report = try ledger.verify()
            #expect(report.ok, "after kill \(round + 1): \(report.problems)")
            let ids = try ledger.export().tables["deposits"]!.compactMap { $0["id"]?.text }
            doubled += ids.count - Set(ids).count
            missing += reported.subtracting(ids).count
            #expect(Set(ids).count == ids.count, "a deposit was stored twice")
            #expect(
                reported.isSubset(of: Set(ids)),
                "after kill \(round + 1) reported deposits are missing: \(reported.subtracting(ids).sorted())")
        }
        print(
            "SIGKILL soak: \(kills) kills mid-commit, \(reported.count) deposits reported committed, lost \(missing), doubled \(doubled)"
        )
        #expect(reported.count > kills, "the child committed too little to test anything")
        let ledger = try Ledger.openExisting(path: path, readOnly: true)
        #expect(try ledger.balance(of: HouseholdID(1)) >= reportedCredit)
    }

    /// Runs the child, lets it work, kills it with SIGKILL and returns the
    /// complete lines it printed.
    private func runAndKill(childPath: String, arguments: [String], afterMicroseconds delay: UInt64) throws -> [String]
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: childPath)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Wait for the first report so that the kill lands mid-work.
        let reader = output.fileHandleForReading
        var data = reader.availableData
        usleep(useconds_t(delay))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        data.append(reader.readDataToEndOfFile())
        let text = String(decoding: data, as: UTF8.self)
        // The last line may have been cut by the kill.
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.last != "\n" { lines.removeLast() }
        return lines.filter { !$0.isEmpty }
    }
}
