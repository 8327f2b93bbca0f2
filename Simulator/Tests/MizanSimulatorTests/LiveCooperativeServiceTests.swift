import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Glibc
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// The cooperatives' service in its own process beside the real daemon: a
/// token made with mizanctl, a deposit, its totals pulled over HTTP while
/// the kiosk weighs, the health following the daemon's status.
extension LiveDaemonTests {
    static func fetch(_ url: String, token: String?) throws -> (status: Int, body: String) {
        HTTPProbe.fetch(url, token: token)
    }

    @Test func cooperativesPullTheDaysTotalsFromTheRunningKiosk() throws {
        let port = LoopbackPort.free()
        let kiosk = try LiveKiosk(
            daemonPath: Self.daemonPath, extraConfiguration: "http: {enabled: true, bind: 127.0.0.1, port: \(port)}")
        defer { kiosk.shutdown() }
        try kiosk.prepareLedger(household: Self.cardA, name: "Umm Khalil", rates: ["plastic": 300], actor: "test")
        let created = try Self.run(
            Self.mizanctlPath, ["tokens", "create", "Olive Cooperative", "--state-dir", kiosk.stateDirectory])
        #expect(created.status == 0, "\(created.output)")
        let token = try #require(created.output.split(separator: "\n").first { $0.hasPrefix("mzn_") }.map(String.init))

        try kiosk.startDaemon()
        try kiosk.startWeb()
        #expect(kiosk.waitForWebLog("cooperatives' HTTP service on 127.0.0.1:\(port)"), "\(kiosk.webLog)")
        kiosk.wait(seconds: 2)
        kiosk.tap(Self.cardA)
        kiosk.deposit(1_250, into: "plastic")
        #expect(kiosk.waitForLog("credited 3.75 XBZ"), "\(kiosk.log)")

        let base = "http://127.0.0.1:\(port)"
        #expect(try Self.fetch("\(base)/api/v1/totals", token: nil).status == 401)
        let totals = try Self.fetch("\(base)/api/v1/totals", token: token)
        #expect(totals.status == 200, "\(totals.body)")
        let mizanctl = try Self.run(
            Self.mizanctlPath, ["totals", "--format", "json", "--state-dir", kiosk.stateDirectory])
        #expect(totals.body == mizanctl.output)
        #expect(totals.body.contains("\"credit_issued\" : 375"), "\(totals.body)")

        kiosk.scaleDevice.unplug()
        #expect(kiosk.waitForLog("OUT OF SERVICE: scale: sensor_silent", timeout: .seconds(6)))
        // mizan-web hears of it from the daemon in its own time.
        var health = (status: 0, body: "")
        let heard = LiveKiosk.poll(until: .seconds(10)) {
            health = HTTPProbe.fetch("\(base)/api/v1/health", token: token)
            return health.body.contains("\"in_service\" : false")
        }
        #expect(heard && health.body.contains("scale: sensor_silent"), "\(health.body)")
        #expect(kiosk.webLog.contains("Olive Cooperative pulled totals"), "\(kiosk.webLog)")
        #expect(!kiosk.log.contains("HTTP"), "the daemon itself serves nothing: \(kiosk.log)")

        #expect(
            try Self.run(
                Self.mizanctlPath, ["tokens", "revoke", "Olive Cooperative", "--state-dir", kiosk.stateDirectory]
            ).status == 0)
        #expect(try Self.fetch("\(base)/api/v1/totals", token: token).status == 401)

        // The daemon stops: the web process goes on answering, and says the
        // kiosk is not in service rather than repeating its last status.
        let second = try #require(
            try Self.run(
                Self.mizanctlPath, ["tokens", "create", "Fig Cooperative", "--state-dir", kiosk.stateDirectory]
            )
            .output.split(separator: "\n").first { $0.hasPrefix("mzn_") }.map(String.init))
        #expect(kiosk.stopDaemon() == 0)
        kiosk.wait(seconds: 6)
        let orphaned = try Self.fetch("\(base)/api/v1/health", token: second)
        #expect(
            orphaned.status == 200 && orphaned.body.contains("\"in_service\" : false")
                && orphaned.body.contains("mizand_unreachable"), "\(orphaned.body)")
        #expect(try Self.fetch("\(base)/api/v1/totals", token: second).body.contains("\"credit_issued\" : 375"))
        #expect(kiosk.stopWeb() == 0, "\(kiosk.webLog)")
    }

    /// Network code stays out of the real-time daemon and the technicians'
    /// tool: neither binary carries Hummingbird's or SwiftNIO's code.
    @Test func neitherTheDaemonNorMizanctlCarriesNetworkCode() throws {
        for path in [Self.daemonPath, Self.mizanctlPath] {
            let binary = try Data(contentsOf: URL(fileURLWithPath: path))
            for module in ["11Hummingbird", "7NIOCore", "8NIOPosix"] {
                #expect(binary.range(of: Data(module.utf8)) == nil, "\(path) carries \(module)")
            }
        }
        let web = (Self.daemonPath as NSString).deletingLastPathComponent + "/mizan-web"
        let binary = try Data(contentsOf: URL(fileURLWithPath: web))
        #expect(binary.range(of: Data("11Hummingbird".utf8)) != nil, "the check would not see Hummingbird where it is")
    }
}
