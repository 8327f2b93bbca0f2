import Foundation
import Glibc
import MizanControl
import MizanCore
import MizanHardware
import MizanKiosk
import MizanLedger

/// The control socket's side of the running kiosk: what `status` and
/// `watch` show, and the technicians' actions.
extension KioskRuntime {
    func startControlSocket() {
        let queue = queue
        let status = statusSnapshot
        let refusals = RefusalRecorder(ledger: ledger)
        do {
            control = try ControlServer(
                path: configuration.paths.controlSocket, policy: ControlPolicy(),
                onRefusal: { peer, what, why in refusals.record(peer, what, why) }
            ) { command, request, peer in
                switch command {
                case .status:
                    return .reply(Self.response(status.value))
                case .watch:
                    return .stream { send in
                        // What changed, within a quarter of a second; the same
                        // status again only every 5 s, to tell a gone client.
                        var last = status.value
                        guard send(Self.response(last)) else { return }
                        var sentAt = MonotonicClock.now()
                        while true {
                            usleep(250_000)
                            let current = status.value
                            let now = MonotonicClock.now()
                            guard current != last || now - sentAt >= .seconds(5) else { continue }
                            guard send(Self.response(current)) else { return }
                            last = current
                            sentAt = now
                        }
                    }
                case .events:
                    return .stream { send in
                        // The last few events first, then each new one.
                        var last = max(0, EventLog.shared.lastSequence - 20)
                        while true {
                            let events = EventLog.shared.events(after: last, waitingUpTo: .seconds(2))
                            for event in events {
                                guard send(.carrying(event)) else { return }
                                last = event.sequence
                            }
                            // A keep-alive after 2 s of quiet tells a gone client apart.
                            if events.isEmpty { guard send(.keepalive) else { return } }
                        }
                    }
                default:
                    let reply = ControlReply()
                    queue.push(.control(command, request, actor: peer.actor, reply))
                    let timeout: Duration =
                        command == .calibrateEmpty || command == .calibrateLoaded ? .seconds(10) : .seconds(5)
                    return .reply(reply.wait(timeout: timeout, what: "mizand (\(command.rawValue))"))
                }
            }
            daemonLog.log(.info, "control socket: \(configuration.paths.controlSocket)")
        } catch {
            daemonLog.log(.error, "control socket: \(error)")
        }
    }

    /// The status, or why there is none yet.
    static func response(_ status: KioskStatusReport?) -> ControlResponse {
        status.map { .carrying($0) } ?? .failure("mizand is starting; ask again in a moment")
    }

    /// A technician's action: written to the audit log with who did it,
    /// carried out, and answered.
    func perform(
        _ command: ControlCommand, _ request: ControlRequest, actor: String, reply: ControlReply, at moment: KioskMoment
    ) {
        let now = moment.monotonic
        daemonLog.log(
            .notice, "\(actor): \(command.rawValue)\(request.referenceGrams.map { " \($0) g" } ?? "")",
            [
                "MIZAN_EVENT": "action", "MIZAN_ACTION": command.rawValue, "MIZAN_ACTOR": actor,
            ])
        do {
            try ledger.recordAudit(kind: .action, actor: actor, summary: command.rawValue, at: moment.clock)
        } catch {
            daemonLog.log(.error, "audit log: \(error)")
            reply.fail("the action was not carried out: it could not be written to the audit log (\(error))")
            return
        }
        let status = kiosk.status
        switch command {
        case .serviceBegin:
            apply(kiosk.beginService(at: moment))
            reply.succeed("service mode: the kiosk is out of service; empty the bins, then end service mode")
        case .serviceEnd:
            apply(kiosk.endService(at: moment))
            reply.succeed("service mode ended: zero is set again as soon as the empty platform is at rest")
        case .testLeds:
            let blink = SignalPattern.blink(on: .milliseconds(300), off: .milliseconds(300), total: .seconds(3))
            test(reply, "green and red blink for 3 s") { lights in
                try lights.green.play(blink, at: now)
                try lights.red.play(blink, at: now)
            }
        case .testBuzzer:
            test(reply, "the buzzer beeps twice") { lights in
                try lights.buzzer.play(.beeps(count: 2, on: .milliseconds(150), off: .milliseconds(150)), at: now)
            }
        case .zero:
            guard status.session == nil, status.depositPhase == .none, status.openLids.isEmpty else {
                reply.fail("zero refused: a session is open or a lid is open; wait until the kiosk is idle")
                return
            }
            flags.scaleRequests.push(.zero(reply))
        case .calibrateEmpty, .calibrateLoaded:
            guard status.faults.contains(.serviceMode) else {
                reply.fail(
                    "calibration needs service mode, so that nobody deposits meanwhile: run mizanctl service begin first"
                )
                return
            }
            if command == .calibrateEmpty {
                flags.scaleRequests.push(.calibrateEmpty(reply))
            } else if let grams = request.referenceGrams, grams > 0 {
                flags.scaleRequests.push(.calibrateLoaded(reference: Grams(grams), actor: actor, reply))
            } else {
                reply.fail("calibrate_loaded needs reference_g: the reference mass in grams, e.g. 5000")
            }
        case .reload:
            let (version, effects) = kiosk.reloadPrices(at: moment)
            apply(effects)
            reply.succeed(
                "prices: version \(version.map(String.init) ?? "none") in force; households are read from the ledger at every tap"
            )
        case .status, .watch, .events:
            reply.fail("\(command.rawValue) is not an action")
        }
    }

    private func test(
        _ reply: ControlReply, _ what: String,
        _ body: ((green: SignalOutput, red: SignalOutput, buzzer: SignalOutput)) throws -> Void
    ) {
        guard let lights else {
            reply.fail("the outputs could not be opened at start-up; see the daemon's log")
            return
        }
        do {
            try body(lights)
            reply.succeed(what)
        } catch {
            reply.fail("\(error)")
        }
    }

    /// A calibration the scale thread finished: saved for the next start,
    /// audited with before and after, then answered.
    func recordCalibration(
        before: Calibration?, after: Calibration, loadedCounts: Int64, reference: Grams, actor: String,
        reply: ControlReply
    ) {
        let clock = SystemClock.reading()
        let stored = CalibrationStore.Stored(
            emptyCounts: after.zeroCounts, loadedCounts: loadedCounts, referenceGrams: reference.value,
            actor: actor,
            setAt: Date(timeIntervalSince1970: Double(clock.wall.millisecondsSinceEpoch) / 1000).ISO8601Format()
        )
        func text(_ calibration: Calibration?) -> String? {
            calibration.map {
                "zero \($0.zeroCounts) counts, span \($0.spanCounts) counts for \($0.referenceMilligrams / 1000) g"
            }
        }
        do {
            try calibrationStore.save(stored)
            try ledger.recordAudit(
                kind: .calibration, actor: actor, summary: "two-point calibration with \(reference.value) g",
                before: text(before), after: text(after), at: clock)
        } catch {
            daemonLog.log(.error, "calibration: \(error)")
            reply.fail("the scale now uses the new calibration, but it could not be saved: \(error)")
            return
        }
        calibration = after
        daemonLog.log(.notice, "scale: calibrated by \(actor): \(text(after) ?? "")")
        reply.succeed(
            String(
                format: "calibrated: %.2f counts per gram; zero is set again when the empty platform is at rest",
                after.countsPerGram),
            calibration: CalibrationReport(
                emptyCounts: after.zeroCounts, loadedCounts: loadedCounts, referenceG: reference.value)
        )
    }
}
