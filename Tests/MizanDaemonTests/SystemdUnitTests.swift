import Foundation
import MizanSimulator
import Testing

/// systemd's own checker, where installed.
let systemdAnalyze: String? = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].first {
    FileManager.default.isExecutableFile(atPath: $0)
}

/// The unit files in systemd/, checked by systemd's own tools.
@Suite("systemd unit", .enabled(if: systemdAnalyze != nil, "systemd-analyze is not installed"))
struct SystemdUnitTests {
    static let repository = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A unit with ExecStart pointing at the binary just built (verify
    /// insists that the binary exists).
    func unitForThisBuild(_ name: String = "mizand") throws -> String {
        let built = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent(
            name
        ).path
        let text = try String(
            contentsOf: Self.repository.appendingPathComponent("systemd/\(name).service"), encoding: .utf8
        )
        // The package's units start /usr/bin's binaries; the hub's (not in the package) /usr/local/bin's.
        .replacingOccurrences(of: "/usr/bin/\(name) ", with: built + " ")
        .replacingOccurrences(of: "/usr/local/bin/\(name)", with: built)
        // The kiosk browser's compositor lives on the board only.
        .replacingOccurrences(of: "/usr/bin/cage", with: "/bin/true")
        let directory = FileManager.default.temporaryDirectory.path + "/mizan-unit-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/\(name).service"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try ChildProcess.run(systemdAnalyze ?? "/usr/bin/systemd-analyze", arguments)
    }

    func exposure(_ output: String) throws -> Double {
        let line = try #require(
            output.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(output)")
        return line.split(separator: " ").compactMap { Double($0) }.first ?? 10
    }

    @Test(arguments: ["mizand", "mizan-web", "mizan-screen", "mizan-hub"])
    func theServiceVerifies(_ name: String) throws {
        let unit = try unitForThisBuild(name)
        defer {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: unit).deletingLastPathComponent().path)
        }
        // The man pages named in Documentation= exist once the package is
        // installed (the package-install tier verifies with them).
        let result = try run(["verify", "--man=no", unit])
        // verify exits 0 even for settings it ignores, so any output is a finding.
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(result.output)")
    }

    /// The real-time daemon has no network at all, and nothing to open it.
    @Test func theDaemonIsHardenedAndOffTheNetwork() throws {
        let unit = try unitForThisBuild()
        defer {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: unit).deletingLastPathComponent().path)
        }
        let result = try run(["security", "--offline=true", unit])
        #expect(try exposure(result.output) <= 1.1, "\(result.output)")
        #expect(!result.output.contains("Service has access to the host's network"), "\(result.output)")
    }

    /// The web process may listen on loopback and the village LAN only.
    @Test func theWebProcessIsHardenedAndOnTheLANOnly() throws {
        let unit = try unitForThisBuild("mizan-web")
        defer {
            try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: unit).deletingLastPathComponent().path)
        }
        let security = try run(["security", "--offline=true", unit])
        #expect(security.output.contains("Service has access to the host's network"), "\(security.output)")
        #expect(security.output.contains("allow list with non-localhost entries"), "\(security.output)")
        // Networking costs some exposure; the rest of the hardening stays.
        #expect(try exposure(security.output) <= 1.5, "\(security.output)")
    }
}
