import Foundation
import Glibc
import Testing
@testable import MizanCore
@testable import MizanLedger
@testable import MizanSimulator

/// `mizanctl doctor` and the hardware-listening commands against the real
/// daemon on the simulator, with each fault made real in turn.
extension LiveDaemonTests {
    struct DoctorResult {
        let status: Int32
        let checks: [String: (outcome: String, detail: String, fix: String)]
        let output: String
    }

    func doctor(_ kiosk: LiveKiosk) throws -> DoctorResult {
        let result = try Self.run(
            Self.mizanctlPath, ["doctor", "--config", kiosk.configurationPath, "--quick", "--json"])
        var checks: [String: (String, String, String)] = [:]
        if let object = try? JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any],
            let list = object["checks"] as? [[String: Any]]
        {
            for check in list {
                checks[check["name"] as? String ?? "?"] = (
                    check["outcome"] as? String ?? "?", check["detail"] as? String ?? "", check["fix"] as? String ?? ""
                )
            }
        }
        return DoctorResult(status: result.status, checks: checks, output: result.output)
    }

    @Test func doctorNamesTheCauseOfEachFault() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)

        let healthy = try doctor(kiosk)
        #expect(healthy.status == 0, "\(healthy.output)")
        for name in ["configuration", "devices", "screen", "daemon", "scale", "card reader", "lids", "ledger", "disk"] {
            #expect(healthy.checks[name]?.outcome == "ok", "\(name): \(healthy.output)")
        }
        #expect(healthy.checks["scale"]?.detail.contains("readings/s") == true)

        kiosk.scaleDevice.unplug()
        #expect(kiosk.waitForLog("OUT OF SERVICE: scale: sensor_silent", timeout: .seconds(6)))
        kiosk.wait(seconds: 0.5)
        let silent = try doctor(kiosk)
        #expect(silent.status == 1)
        #expect(silent.checks["daemon"]?.outcome == "failure")
        #expect(silent.checks["scale"]?.fix.contains("cable") == true, "\(silent.output)")
        #expect(silent.checks["devices"]?.outcome == "failure", "the scale's device node is gone: \(silent.output)")
        try kiosk.scaleDevice.plugIn()
        #expect(kiosk.waitForLog("back in service", timeout: .seconds(8)))

        kiosk.cardDevice.unplug()
        #expect(kiosk.waitForLog("OUT OF SERVICE: card_reader"))
        kiosk.wait(seconds: 0.5)
        let reader = try doctor(kiosk)
        #expect(reader.checks["card reader"]?.outcome == "failure", "\(reader.output)")
        #expect(reader.checks["card reader"]?.fix.contains("USB cable") == true)
        try kiosk.cardDevice.plugIn()
        #expect(kiosk.waitForLog("<6>back in service", occurrences: 2), "\(kiosk.log)")

        kiosk.drop(grams: 70_000)  // beyond Max (60 kg) + 9 e
        #expect(kiosk.waitForLog("OUT OF SERVICE: scale: overload"), "\(kiosk.log)")
        kiosk.wait(seconds: 0.5)
        let overload = try doctor(kiosk)
        #expect(overload.checks["daemon"]?.fix.contains("too heavy") == true, "\(overload.output)")
        kiosk.emptyPlatform()
        #expect(kiosk.waitForLog("<6>back in service", occurrences: 3), "\(kiosk.log)")

        #expect(try mizanctl(kiosk, "service", "begin").status == 0)
        kiosk.wait(seconds: 0.5)
        let service = try doctor(kiosk)
        #expect(service.checks["daemon"]?.fix.contains("mizanctl service end") == true, "\(service.output)")
        #expect(try mizanctl(kiosk, "service", "end").status == 0)

        kiosk.stopDaemon()
        let stopped = try doctor(kiosk)
        #expect(stopped.checks["daemon"]?.outcome == "failure")
        #expect(stopped.checks["daemon"]?.fix.contains("systemctl start mizand") == true)
        #expect(stopped.checks["ledger"]?.outcome == "ok", "\(stopped.output)")
        // Every fault raised and cleared is in the ledger's fault log.
        let events = try Self.run(
            Self.mizanctlPath, ["events", "--kind", "fault", "--state-dir", kiosk.stateDirectory])
        for fault in [
            "scale: sensor_silent raised", "card_reader raised", "scale: overload raised", "service_mode cleared",
        ] {
            #expect(events.output.contains(fault), "\(fault): \(events.output)")
        }
    }

    @Test func aCardIsRegisteredByTappingItAndTapsAreListened() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 1)
        let newCard = CardUID("00C0FFEE11")!
        let adding = Process()
        adding.executableURL = URL(fileURLWithPath: Self.mizanctlPath)
        adding.arguments = [
            "households", "add", "--tap", "--name", "أبو علي", "--timeout", "20",
            "--socket", kiosk.stateDirectory + "/control.sock", "--state-dir", kiosk.stateDirectory,
        ]
        let pipe = Pipe()
        adding.standardOutput = pipe
        adding.standardError = pipe
        try adding.run()
        kiosk.wait(seconds: 1)
        kiosk.tap(Self.cardA)  // registered already: mizanctl asks for another
        kiosk.wait(seconds: 0.8)
        kiosk.tap(newCard)
        adding.waitUntilExit()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(adding.terminationStatus == 0, "\(output)")
        #expect(output.contains("card 0A1B2C3D4E is already registered"), "\(output)")
        #expect(output.contains("registered card 00C0FFEE11 as household 2"), "\(output)")
        // The card works at once: once Umm Khalil's session is closed, its tap opens one.
        kiosk.wait(seconds: 0.8)
        kiosk.tap(Self.cardA)
        #expect(kiosk.waitForLog("session sim-live-S1 closed"), "\(kiosk.log)")
        kiosk.wait(seconds: 0.8)
        kiosk.tap(newCard)
        #expect(kiosk.waitForLog("opened for household 2"), "\(kiosk.log)")
    }
}

extension LiveDaemonTests {
    /// Starts `mizanctl` on the kiosk's socket; returns the process and its output pipe.
    func startMizanctl(_ kiosk: LiveKiosk, _ arguments: [String]) throws -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.mizanctlPath)
        process.arguments = arguments + ["--socket", kiosk.stateDirectory + "/control.sock"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        return (process, pipe)
    }

    func finish(_ started: (Process, Pipe), within seconds: Double = 10) -> String {
        let (process, pipe) = started
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { usleep(50_000) }
        if process.isRunning { process.terminate() }
        process.waitUntilExit()
        return String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
    }

    @Test func theReaderTheLidsAndTheScaleAreHeardLive() throws {
        let kiosk = try kiosk()
        defer { kiosk.shutdown() }
        try kiosk.startDaemon()
        #expect(kiosk.waitForLog("mizand ready"))
        kiosk.wait(seconds: 2)

        let listening = try startMizanctl(kiosk, ["rfid", "listen", "--count", "2", "--json"])
        kiosk.wait(seconds: 0.8)
        kiosk.tap(Self.cardA)
        kiosk.wait(seconds: 0.8)
        kiosk.tap(CardUID("00DEADBEEF")!)
        let heardCards = finish(listening)
        let cards = heardCards.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(cards.count == 2, "\(heardCards)")
        #expect(
            cards.first?["card"] as? String == "0A1B2C3D4E" && cards.first?["known"] as? Bool == true, "\(heardCards)")
        #expect(
            cards.last?["card"] as? String == "00DEADBEEF" && cards.last?["holder"] as? String == "unknown",
            "\(heardCards)")
        let heard = try #require(
            try JSONSerialization.jsonObject(with: Data(finish(try startMizanctl(kiosk, ["status", "--json"])).utf8))
                as? [String: Any])
        let reader = heard["card_reader"] as? [String: Any]
        #expect((reader?["last_card"] as? [String: Any])?["card"] as? String == "00DEADBEEF", "\(heard)")

        let lids = try startMizanctl(kiosk, ["lids", "--count", "3"])
        kiosk.wait(seconds: 0.8)
        kiosk.open("metal")
        kiosk.wait(seconds: 0.8)
        kiosk.close("metal")
        let lidLines = finish(lids)
        #expect(lidLines.contains("metal OPEN"), "\(lidLines)")
        #expect(lidLines.contains("metal closed"), "\(lidLines)")
        #expect(lidLines.contains("bounces"), "\(lidLines)")

        let scale = finish(try startMizanctl(kiosk, ["scale", "raw", "--count", "2"]))
        #expect(scale.contains(" g  stable"), "\(scale)")
        #expect(kiosk.stopDaemon() == 0)
    }
}
