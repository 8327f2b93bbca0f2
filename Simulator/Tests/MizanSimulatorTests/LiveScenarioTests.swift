import Foundation
import Testing
@testable import MizanSimulator

/// The scenario library in real time against the real `mizand` binary.
@Suite("The scenario library against the real daemon", .serialized)
struct LiveScenarioTests {
    static func scenario(_ file: String) throws -> Scenario {
        let text = try String(contentsOf: ScenarioTests.directory.appendingPathComponent(file), encoding: .utf8)
        return try Scenario.parse(text, file: file)
    }

    static let liveFiles: [String] = ScenarioTests.files.filter { file in
        (try? ScenarioRunner.liveUnsupported(scenario(file))) == .some(nil)
    }

    /// Only the clock-jump scenario runs in-process alone (moving a real
    /// daemon's wall clock needs privileges a test should not take); this
    /// names it so no other scenario slips out unnoticed.
    @Test func onlyTheClockJumpScenarioIsInProcessOnly() throws {
        let inProcessOnly = Set(ScenarioTests.files).subtracting(Self.liveFiles)
        #expect(inProcessOnly == ["14-clock-jumps-backwards.yaml"])
        #expect(Self.liveFiles.count >= 15)
    }

    @Test(arguments: liveFiles)
    func scenarioHoldsAgainstTheRealDaemon(_ file: String) throws {
        let (result, skipped) = try ScenarioRunner.runLive(
            try Self.scenario(file), daemonPath: LiveDaemonTests.daemonPath)
        #expect(skipped == nil)
        let outcome = try #require(result)
        #expect(
            outcome.passed,
            "\(file):\n  \(outcome.failures.joined(separator: "\n  "))\n\(outcome.account.joined(separator: "\n"))")
    }
}
