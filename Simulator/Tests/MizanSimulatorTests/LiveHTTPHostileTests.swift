import Foundation
import Glibc
import MizanHardware
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// The cooperatives' HTTP service (mizan-web beside the real daemon),
/// against clients that refuse to behave: every descriptor comes back.
@Suite("mizan-web's HTTP service under hostile clients", .serialized)
struct LiveHTTPHostileTests {
    func kiosk(port: Int) throws -> (LiveKiosk, String) {
        let kiosk = try LiveKiosk(
            daemonPath: LiveDaemonTests.daemonPath,
            extraConfiguration: "http: {enabled: true, bind: 127.0.0.1, port: \(port)}")
        try kiosk.prepareLedger(
            household: LiveDaemonTests.cardA, name: "Umm Khalil", rates: ["plastic": 300], actor: "test")
        let created = try LiveDaemonTests.run(
            LiveDaemonTests.mizanctlPath,
            ["tokens", "create", "Olive Cooperative", "--state-dir", kiosk.stateDirectory])
        let token = try #require(
            created.output.split(separator: "\n").first { $0.hasPrefix("mzn_") }.map(String.init), "\(created.output)")
        try kiosk.startDaemon()
        try kiosk.startWeb()
        #expect(kiosk.waitForWebLog("cooperatives' HTTP service on 127.0.0.1:\(port)"), "\(kiosk.webLog)")
        return (kiosk, token)
    }

    /// Refused while still sending (a header far over the limit), then the
    /// client never closes: the service once kept each socket for good.
    @Test func twoThousandRefusedRequestsLeaveTheDescriptorCountAtItsBaseline() throws {
        let port = LoopbackPort.free()
        let (kiosk, token) = try kiosk(port: port)
        defer { kiosk.shutdown() }
        let pid = try #require(kiosk.webPID)
        #expect(try LiveDaemonTests.fetch("http://127.0.0.1:\(port)/api/v1/health", token: token).status == 200)
        kiosk.wait(seconds: 1)
        let baseline = LoopbackTCP.openDescriptors(of: pid)

        let junk =
            "GET /api/v1/totals HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + String(repeating: "a", count: 48 * 1024)
        var refused = 0
        var held: [LoopbackTCP] = []
        for round in 0..<40 {
            held = try (0..<50).map { _ in
                let client = try LoopbackTCP(port: port)
                client.send(junk)
                return client
            }
            for client in held {
                if case let .data(bytes) = client.receive(timeout: .seconds(2)),
                    String(decoding: bytes.prefix(12), as: UTF8.self).hasPrefix("HTTP/1.1 4")
                {
                    refused += 1
                }
                client.send("more of the same header that never ends")
            }
            guard refused == (round + 1) * 50 else { break }
        }
        #expect(refused == 2_000)
        // The last 50 clients still hold their sockets open.
        kiosk.wait(seconds: 4)
        let after = LoopbackTCP.openDescriptors(of: pid)
        #expect(after <= baseline + 2, "descriptors: \(baseline) before, \(after) after 2,000 refused requests")
        withExtendedLifetime(held) {}
        #expect(try LiveDaemonTests.fetch("http://127.0.0.1:\(port)/api/v1/health", token: token).status == 200)
        #expect(kiosk.stopWeb() == 0)
        #expect(kiosk.stopDaemon() == 0)
    }

    /// Slowloris: headers dripped a byte at a time, and connections that
    /// send nothing at all, beyond the cap on connections.
    @Test func idleAndDrippingConnectionsAreClosedAndAValidTokenStillGetsAnAnswer() throws {
        let port = LoopbackPort.free()
        let (kiosk, token) = try kiosk(port: port)
        defer { kiosk.shutdown() }
        let pid = try #require(kiosk.webPID)
        kiosk.wait(seconds: 1)
        let baseline = LoopbackTCP.openDescriptors(of: pid)

        let idle = try (0..<100).map { _ in try LoopbackTCP(port: port) }
        let drippers = try (0..<20).map { _ in try LoopbackTCP(port: port) }
        let header = Array("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ".utf8)
        let started = MonotonicClock.now()
        var closedDrippers = Set<Int32>()
        var peak = 0
        var answered = false
        var index = 0
        while MonotonicClock.now() - started < .seconds(40), closedDrippers.count < drippers.count || !answered {
            for dripper in drippers where !closedDrippers.contains(dripper.descriptor) {
                dripper.send([header[min(index, header.count - 1)]])
                if dripper.receive(timeout: .milliseconds(1)) == .closed { closedDrippers.insert(dripper.descriptor) }
            }
            peak = max(peak, LoopbackTCP.openDescriptors(of: pid))
            if !answered, MonotonicClock.now() - started > .seconds(3) {
                answered =
                    try LiveDaemonTests.fetch("http://127.0.0.1:\(port)/api/v1/health", token: token).status == 200
            }
            index += 1
            usleep(500_000)
        }
        #expect(
            closedDrippers.count == drippers.count,
            "\(drippers.count - closedDrippers.count) dripping clients still held after 40 s (accepted once the idle ones are closed, then closed after their own idle timeout)"
        )
        #expect(answered, "a valid token got no answer while 120 connections were held")
        #expect(idle.allSatisfy { $0.waitForClose(timeout: .seconds(2)) }, "idle connections still open")
        #expect(peak <= baseline + 64 + 4, "descriptors peaked at \(peak), baseline \(baseline)")
        kiosk.wait(seconds: 1)
        #expect(LoopbackTCP.openDescriptors(of: pid) <= baseline + 2)
        #expect(kiosk.stopWeb() == 0)
        #expect(kiosk.stopDaemon() == 0)
    }
}
