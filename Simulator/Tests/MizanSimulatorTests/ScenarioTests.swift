import Foundation
import Testing
@testable import MizanCore
@testable import MizanSimulator
import MizanYAML

@Suite("The scenario library, in-process")
struct ScenarioTests {
    static let directory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Scenarios")

    static let files: [String] =
        (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?
        .filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    @Test func theLibraryHasAtLeastFifteenScenarios() {
        #expect(Self.files.count >= 15)
    }

    @Test(arguments: files)
    func scenarioHolds(_ file: String) throws {
        let text = try String(contentsOf: Self.directory.appendingPathComponent(file), encoding: .utf8)
        let scenario = try Scenario.parse(text, file: file)
        let ledger =
            FileManager.default.temporaryDirectory.path + "/mizan-scenario-\(UUID().uuidString.prefix(8)).sqlite"
        defer {
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: ledger + suffix) }
        }
        let result = try ScenarioRunner.runInProcess(scenario, ledgerPath: ledger)
        #expect(
            result.passed,
            "\(file):\n  \(result.failures.joined(separator: "\n  "))\n\(result.account.joined(separator: "\n"))")
    }

    @Test(arguments: [
        ("name: x\ntimeline:\n  - tapp: 0A1B2C3D4E\n", "timeline[0].tapp"),
        ("name: x\nconfig:\n  deposit: {minimum_e: 2}\n", "deposit.minimum_e"),
        ("name: x\nconfig:\n  scale: {stability_window_ms: 100}\n", "scale.stability_window_ms"),
        ("name: x\nconfig:\n  scale: {stability_window: 500ms}\n", "config.scale.stability_window"),
        ("name: x\nexpect:\n  deposits: [creditted]\n", "expect.deposits[0]"),
        ("name: x\nhouseholds:\n  - {card: XYZ}\n", "households[0].card"),
        ("name: x\nspeed: fast\n", "speed"),
        ("description: no name\n", "name"),
        ("name: x\ntimeline:\n  - wait: soon\n", "timeline[0].wait"),
    ])
    func badScenariosAreRefusedNamingTheKey(text: String, key: String) {
        do {
            _ = try Scenario.parse(text, file: "bad.yaml")
            Issue.record("accepted: \(text)")
        } catch {
            #expect(error.key == key, "\(error)")
            #expect(error.description.hasPrefix("bad.yaml"))
        }
    }
}
