import Foundation
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

    /// The unit with ExecStart pointing at the mizand just built (verify
    /// insists that the binary exists).
    func unitForThisBuild() throws -> String {
        let built = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("mizand").path
        let text = try String(contentsOf: Self.repository.appendingPathComponent("systemd/mizand.service"), encoding: .utf8)
            .replacingOccurrences(of: "/usr/local/bin/mizand", with: built)
        let directory = FileManager.default.temporaryDirectory.path + "/mizan-unit-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = directory + "/mizand.service"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    func run(_ arguments: [String]) throws -> (status: Int32, output: String) {
        try runProcess(systemdAnalyze ?? "/usr/bin/systemd-analyze", arguments)
    }

    @Test func theServiceVerifies() throws {
        let unit = try unitForThisBuild()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: unit).deletingLastPathComponent().path) }
        let result = try run(["verify", unit])
        // verify exits 0 even for settings it ignores, so any output is a finding.
        #expect(result.status == 0, "\(result.output)")
        #expect(result.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(result.output)")
    }

    @Test func theServiceIsHardened() throws {
        let unit = try unitForThisBuild()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: unit).deletingLastPathComponent().path) }
        let result = try run(["security", "--offline=true", unit])
        let line = try #require(result.output.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(result.output)")
        let exposure = line.split(separator: " ").compactMap { Double($0) }.first ?? 10
        #expect(exposure <= 2.5, "\(line)")
    }

    /// The unit with the HTTP drop-in beside it, as systemd finds drop-ins.
    func unitWithHTTPDropIn() throws -> String {
        let unit = try unitForThisBuild()
        let dropIns = unit + ".d"
        try FileManager.default.createDirectory(atPath: dropIns, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            atPath: Self.repository.appendingPathComponent("systemd/mizand-http.conf").path, toPath: dropIns + "/http.conf"
        )
        return unit
    }

    @Test func withTheHTTPDropInTheServiceVerifiesAndMayListenOnTheLANOnly() throws {
        let unit = try unitWithHTTPDropIn()
        defer { try? FileManager.default.removeItem(atPath: URL(fileURLWithPath: unit).deletingLastPathComponent().path) }
        let verify = try run(["verify", unit])
        #expect(verify.status == 0 && verify.output.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty, "\(verify.output)")
        let security = try run(["security", "--offline=true", unit])
        // The drop-in was read: the network is open, to private ranges only.
        #expect(security.output.contains("Service has access to the host's network"), "\(security.output)")
        #expect(security.output.contains("allow list with non-localhost entries"), "\(security.output)")
        let line = try #require(security.output.split(separator: "\n").first { $0.contains("Overall exposure level") }, "\(security.output)")
        let exposure = line.split(separator: " ").compactMap { Double($0) }.first ?? 10
        // Networking costs some exposure; the rest of the hardening stays.
        #expect(exposure <= 3.5, "\(line)")
    }
}
