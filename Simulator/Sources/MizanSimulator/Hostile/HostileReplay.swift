import Foundation
import MizanControl
import Glibc
import MizanPOSIX
import MizanCore
import MizanDaemon
import MizanHardware
import MizanLedger

/// Replays, against the real daemon, what an attacker on the village LAN, a
/// careless technician and a hostile file did to the kiosk (issue 13, items
/// 2, 4, 6, 8 and 11), and checks that it ends as it began: in service, its
/// descriptors and memory back near their baselines, nothing committed
/// lost, the ledger verifying. Each step prints what it sent and saw.
public enum HostileReplay {
    public struct Figures: Sendable {
        /// mizand, which the control socket's abuse reaches.
        public var daemon = ProcessFigures()
        /// mizan-web, which the HTTP abuse reaches.
        public var web = ProcessFigures()
        public var problems: [String] = []
        public var passed: Bool { problems.isEmpty }
    }

    /// A process's descriptors and resident memory before, during and after.
    public struct ProcessFigures: Sendable {
        public var descriptorsBefore = 0
        public var descriptorsAfter = 0
        public var descriptorsPeak = 0
        public var residentKiBBefore = 0
        public var residentKiBAfter = 0

        mutating func begin(_ pid: Int32) {
            descriptorsBefore = LoopbackTCP.openDescriptors(of: pid)
            descriptorsPeak = descriptorsBefore
            residentKiBBefore = HostileReplay.residentKiB(of: pid)
        }

        mutating func sample(_ pid: Int32) {
            descriptorsPeak = max(descriptorsPeak, LoopbackTCP.openDescriptors(of: pid))
        }

        mutating func end(_ pid: Int32) {
            descriptorsAfter = LoopbackTCP.openDescriptors(of: pid)
            residentKiBAfter = HostileReplay.residentKiB(of: pid)
        }

        var summary: String {
            "\(descriptorsBefore) → \(descriptorsAfter) descriptors (peak \(descriptorsPeak)), \(residentKiBBefore) → \(residentKiBAfter) KiB resident"
        }

        /// Back near where they began: a few descriptors, at most double the memory plus 16 MiB.
        var cameBack: Bool {
            descriptorsAfter <= descriptorsBefore + 4 && residentKiBAfter <= residentKiBBefore * 2 + 16_384
        }
    }

    static let card = CardUID("0A1B2C3D4E")!

    /// - Parameter refusedRequests: how many oversized HTTP requests to send
    ///   (refused while still sending, never closed by the client).
    public static func run(daemonPath: String, refusedRequests: Int = 2_000, report: (String) -> Void) throws -> Figures
    {
        let mizanctl = URL(fileURLWithPath: daemonPath).deletingLastPathComponent().appendingPathComponent("mizanctl")
            .path
        let port = LoopbackPort.free()
        let kiosk = try LiveKiosk(
            daemonPath: daemonPath, extraConfiguration: "http: {enabled: true, bind: 127.0.0.1, port: \(port)}")
        defer { kiosk.shutdown() }
        try kiosk.prepareLedger(household: card, name: "Umm Khalil", rates: ["plastic": 300], actor: "hostile-replay")
        let created = try ChildProcess.run(
            mizanctl, ["tokens", "create", "Olive Cooperative", "--state-dir", kiosk.stateDirectory])
        guard let token = created.output.split(separator: "\n").first(where: { $0.hasPrefix("mzn_") }).map(String.init)
        else {
            throw LoopbackTCP.Failure(description: "no token: \(created.output)")
        }
        try kiosk.startDaemon()
        try kiosk.startWeb()
        var figures = Figures()
        func check(_ condition: Bool, _ problem: @autoclosure () -> String) {
            if !condition {
                figures.problems.append(problem())
                report("  PROBLEM: \(problem())")
            }
        }
        func verifyLedger(_ when: String) {
            let verified = (try? Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true).verify().ok) == true
            report("ledger \(when): \(verified ? "verifies" : "FAILS")")
            check(verified, "the ledger does not verify \(when)")
        }
        guard kiosk.waitForLog("mizand ready"), let pid = kiosk.daemonPID else {
            throw LoopbackTCP.Failure(description: "the daemon did not start: \(kiosk.log)")
        }
        guard kiosk.waitForWebLog("cooperatives' HTTP service on 127.0.0.1:\(port)"), let webPID = kiosk.webPID else {
            throw LoopbackTCP.Failure(description: "the web process did not start: \(kiosk.webLog)")
        }
        kiosk.wait(seconds: 2)
        kiosk.tap(card)
        kiosk.deposit(1_000, into: "plastic")
        check(kiosk.waitForLog("credited 3.00 XBZ"), "the first deposit was not credited")
        kiosk.tap(card)
        check(kiosk.waitForLog("closed (card_tapped_again)"), "the first session did not close")
        figures.daemon.begin(pid)
        figures.web.begin(webPID)
        report(
            "baseline: mizand \(figures.daemon.descriptorsBefore) descriptors, \(figures.daemon.residentKiBBefore) KiB resident; mizan-web \(figures.web.descriptorsBefore) descriptors, \(figures.web.residentKiBBefore) KiB resident"
        )
        let sample = {
            figures.daemon.sample(pid)
            figures.web.sample(webPID)
        }

        // Item 2: refused while still sending, never closed; idle and dripping.
        let junk =
            "GET /api/v1/totals HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Filler: " + String(repeating: "a", count: 48 * 1024)
        var answered = 0
        var held: [LoopbackTCP] = []
        for _ in 0..<(refusedRequests / 50) {
            held = try (0..<50).map { _ in
                let client = try LoopbackTCP(port: port)
                client.send(junk)
                return client
            }
            for client in held {
                if case .data = client.receive(timeout: .seconds(2)) { answered += 1 }
                client.send("and more of the header")
            }
            sample()
        }
        report(
            "HTTP: \(answered) of \(refusedRequests) oversized requests refused; the last 50 clients keep their sockets open"
        )
        check(answered == refusedRequests / 50 * 50, "only \(answered) oversized requests were answered")
        let idle = try (0..<100).map { _ in try LoopbackTCP(port: port) }
        let drippers = try (0..<20).map { _ in try LoopbackTCP(port: port) }
        let started = MonotonicClock.now()
        var open = Set(drippers.map(\.descriptor))
        while !open.isEmpty, MonotonicClock.now() - started < .seconds(40) {
            for dripper in drippers where open.contains(dripper.descriptor) {
                dripper.send("x")
                if dripper.receive(timeout: .milliseconds(1)) == .closed { open.remove(dripper.descriptor) }
            }
            sample()
            usleep(500_000)
        }
        let idleDeadline = MonotonicClock.now() + .seconds(15)
        let idleClosed = idle.filter {
            $0.waitForClose(timeout: max(.milliseconds(1), idleDeadline - MonotonicClock.now()))
        }.count
        report(
            "HTTP: 100 idle connections, \(idleClosed) closed by the service; 20 dripping headers, \(20 - open.count) closed after \((MonotonicClock.now() - started).milliseconds / 1000) s"
        )
        check(open.isEmpty && idleClosed == 100, "slow connections still held")
        withExtendedLifetime(held) {}

        // Item 11, over HTTP: control characters in a parameter, +026 as a
        // year, HEAD, a neighbour guessing tokens behind the same address.
        let base = "http://127.0.0.1:\(port)"
        for target in ["/api/v1/totals?day=%01%1B%5B2J%22%5C", "/api/v1/totals?day=%2B026-11-30"] {
            let (status, body) = HTTPProbe.fetch(base + target, token: token)
            let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) != nil
            report("HTTP: \(target) → \(status), body \(json ? "valid JSON" : "NOT JSON")")
            check(status == 400 && json, "\(target) answered \(status): \(body)")
        }
        check(
            HTTPProbe.fetch(base + "/api/v1/health", token: token, method: "HEAD").status == 200,
            "HEAD /api/v1/health was not answered")
        for _ in 0..<12 { _ = HTTPProbe.fetch(base + "/api/v1/health", token: "mzn_guess") }
        let guesser = HTTPProbe.fetch(base + "/api/v1/health", token: "mzn_guess").status
        let cooperative = HTTPProbe.fetch(base + "/api/v1/health", token: token).status
        report(
            "HTTP: after 12 wrong tokens from 127.0.0.1, a wrong one gets \(guesser), the cooperative's gets \(cooperative)"
        )
        check(guesser == 429 && cooperative == 200, "the limit on wrong tokens refused the right one")

        // Malformed requests: refused or closed, never served, never a crash.
        for request in MalformedHTTP.requests {
            let answer = (try? LoopbackTCP.exchange(port: port, request.bytes)) ?? ""
            let status = MalformedHTTP.status(of: answer)
            report("HTTP: \(request.what) → \(status.map(String.init) ?? "closed without an answer")")
            check(
                status.map { (400..<500).contains($0) || $0 == 505 } ?? true,
                "\(request.what) was answered \(status ?? 0)")
        }
        check(
            HTTPProbe.fetch(base + "/api/v1/health", token: token).status == 200,
            "the service stopped answering after the malformed requests")
        verifyLedger("after the HTTP abuse")

        // Item 6: the control socket, dripped into and never read.
        let socket = kiosk.stateDirectory + "/control.sock"
        // Root is a technician here: mizan-web's two followers (status and
        // the screen's events; root too, in this test) and these 6 + 4 fill its 12 slots.
        let dripping = try (0..<6).map { _ in try UnixSocket.connect(to: socket) }
        let silent = try (0..<4).map { _ in try UnixSocket.connect(to: socket) }
        defer { for client in dripping + silent { close(client) } }
        for client in silent { UnixSocket.send(Array("{\"command\":\"watch\"}\n".utf8), on: client) }
        for _ in 0..<8 {
            for client in dripping { UnixSocket.send([UInt8(ascii: "{")], on: client) }
            usleep(500_000)
        }
        let status = try? kiosk.control("status")
        let dropped = kiosk.waitForLog("it stopped reading its stream", occurrences: 4, timeout: .seconds(30))
        report(
            "control socket: 6 clients dripping a byte each 0.5 s beside mizan-web's two followers, 4 watchers that never read; status answered: \(status?.ok == true), watchers dropped: \(dropped)"
        )
        check(status?.ok == true && dropped, "the control socket was held by slow clients")

        // Serial floods: noise and a line without end on the scale, frames
        // that never close and noise on the card reader.
        let poured =
            SerialFlood.pour(SerialFlood.noise(bytes: 256 * 1024, seed: 3), into: kiosk.scaleDevice)
            + SerialFlood.pour(SerialFlood.endlessLine(bytes: 256 * 1024), into: kiosk.scaleDevice)
            + SerialFlood.pour(SerialFlood.brokenFrames(count: 20_000), into: kiosk.cardDevice)
            + SerialFlood.pour(SerialFlood.noise(bytes: 256 * 1024, seed: 4), into: kiosk.cardDevice)
        var backInService = false
        for _ in 0..<40 where !backInService {
            kiosk.wait(seconds: 0.25)
            backInService = (try? kiosk.status())?.inService == true
        }
        report(
            "serial: \(poured / 1024) KiB of noise, endless lines and broken frames; in service after: \(backInService)"
        )
        check(backInService, "the kiosk was not back in service after the serial floods")
        verifyLedger("after the serial floods")

        // Item 4: hostile names at the ledger's doors.
        let csv = kiosk.stateDirectory + "/hostile.csv"
        try Data(
            "card_uid,name\nC0FFEE0001,\"Umm\u{0}Khalil\"\nC0FFEE0002,\"\u{1B}]8;;x\u{7}click\"\nC0FFEE0003,\"a\u{202E}b\"\n"
                .utf8
        )
        .write(to: URL(fileURLWithPath: csv))
        let imported = try ChildProcess.run(
            mizanctl, ["households", "import", csv, "--state-dir", kiosk.stateDirectory])
        let added = try ChildProcess.run(
            mizanctl, ["households", "add", "C0FFEE0004", "--name", "x\u{1B}[2Jy", "--state-dir", kiosk.stateDirectory])
        report(
            "names: a CSV with NUL, OSC and RLO → exit \(imported.status); households add with ESC → exit \(added.status)"
        )
        check(imported.status == 2 && added.status == 2, "hostile names were accepted")
        // Item 11: a 50 MB one-line households file.
        let huge = kiosk.stateDirectory + "/huge.csv"
        _ = FileManager.default.createFile(atPath: huge, contents: Data(repeating: UInt8(ascii: "a"), count: 50 << 20))
        let hugeImport = try ChildProcess.run(
            mizanctl, ["households", "import", huge, "--state-dir", kiosk.stateDirectory])
        report("names: a 50 MB one-line CSV → exit \(hugeImport.status)")
        check(hugeImport.status == 2, "a 50 MB households file was not refused")
        unlink(huge)

        // Item 8: hostile configuration files through --check-config.
        for (what, text) in [
            ("10,000 nested lists", String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)),
            ("division_g: 10^18", "scale: {division_g: 1000000000000000000}\n"),
            ("a duplicate section", "kiosk: {id: a}\nkiosk: {id: b}\n"),
        ] {
            let file = kiosk.stateDirectory + "/hostile.yaml"
            try Data(text.utf8).write(to: URL(fileURLWithPath: file))
            let checked = try ChildProcess.run(daemonPath, ["--config", file, "--check-config"])
            report("configuration: \(what) → exit \(checked.status)")
            check(checked.status == 2, "--check-config on \(what) exited \(checked.status)")
        }

        verifyLedger("after the hostile files")

        // It ends as it began.
        kiosk.wait(seconds: 3)
        figures.daemon.end(pid)
        figures.web.end(webPID)
        report("after: mizand \(figures.daemon.summary); mizan-web \(figures.web.summary)")
        check(figures.daemon.cameBack, "mizand's descriptors or memory did not come back: \(figures.daemon.summary)")
        check(figures.web.cameBack, "mizan-web's descriptors or memory did not come back: \(figures.web.summary)")
        let inService = (try? kiosk.status())?.inService == true
        kiosk.tap(card)
        check(kiosk.waitForLog("session sim-live-S2 opened"), "the second session did not open")
        kiosk.deposit(2_000, into: "plastic")
        check(inService && kiosk.waitForLog("credited 6.00 XBZ"), "the kiosk was not in service after the replay")
        check(kiosk.stopDaemon() == 0, "the daemon did not stop cleanly")
        check(kiosk.stopWeb() == 0, "the web process did not stop cleanly")
        let ledger = try Ledger.openExisting(path: kiosk.ledgerPath, readOnly: true)
        let verified = try ledger.verify()
        report(
            "ledger: \(verified.ok ? "verifies" : "FAILS"), \(verified.journalLinks) links; household balance \(try ledger.balance(of: HouseholdID(1))) minor units"
        )
        check(verified.ok, "the ledger does not verify: \(verified.problems)")
        report(
            figures.passed
                ? "PASSED: in service, descriptors and memory back, the ledger verifies"
                : "FAILED: \(figures.problems.count) problem(s)")
        return figures
    }

    /// VmRSS of a process, in KiB.
    static func residentKiB(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return -1 }
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? -1
    }
}
