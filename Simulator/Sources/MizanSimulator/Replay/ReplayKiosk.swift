import Foundation
import Logging
public import MizanHardware
public import MizanCore
import MizanKiosk
import Synchronization
public import MizanLedger
import MizanPOSIX

/// The fast tier: replays a trace deterministically on virtual time. The
/// devices are modelled (the weighing engine, the lids' debouncers, the
/// card reader's presence filter, with the daemon's settings); the kiosk is
/// the daemon's own coordinator on a real ledger file. Writes a readable
/// account.
public final class ReplayKiosk {
    public let configuration: ValidatedKioskConfiguration
    public let ledger: Ledger
    /// Wall-clock time of the trace's start.
    public let wallStart: WallClockTime
    private let lidDebounce: Duration
    private var engine: WeighingEngine
    private var kiosk: KioskCoordinator
    private var debouncers: [BinID: Debouncer] = [:]
    private var presence: CardPresenceFilter
    private var now: Instant = .origin
    /// How far the wall clock has been moved from the trace's start.
    private var wallOffsetMilliseconds: Int64 = 0
    private let journal: ReplayAccount
    private var ownFailures: [String] = []
    /// Failures of coordinators before a restart.
    private var earlierFailures: [String] = []
    /// What households were shown, in order.
    public private(set) var feedback: [Feedback] = []
    /// Every fault that took the kiosk out of service, in order.
    public private(set) var faultsRaised: [KioskFault] = []
    /// Close reasons of every session, in order (`interrupted` for those
    /// closed at start-up after a kill).
    public private(set) var sessionsClosed: [String] = []

    public var inService: Bool { kiosk.status.inService }
    public var account: [String] { journal.lines }
    public var failures: [String] { ownFailures + earlierFailures + kiosk.failures }

    public init(
        configuration: ValidatedKioskConfiguration, ledger: Ledger, wallStart: WallClockTime,
        lidDebounce: Duration = BinSensorConfiguration.defaultDebounce
    ) throws(LedgerError) {
        self.configuration = configuration
        self.ledger = ledger
        self.wallStart = wallStart
        self.lidDebounce = lidDebounce
        let account = ReplayAccount()
        journal = account
        engine = WeighingEngine(configuration: configuration.weighing, calibration: nil, startedAt: .origin)
        presence = CardPresenceFilter(gap: configuration.source.cardPresenceGap)
        let start = KioskMoment(monotonic: .origin, clock: LedgerClockReading(wall: wallStart, synchronized: true))
        kiosk = try KioskCoordinator(configuration: configuration, book: ledger, at: start, logger: account.logger)
        resetDebouncers()
    }

    private func moment(_ time: Instant) -> KioskMoment {
        KioskMoment(
            monotonic: time,
            clock: LedgerClockReading(
                wall: WallClockTime(
                    millisecondsSinceEpoch: wallStart.millisecondsSinceEpoch + wallOffsetMilliseconds + time.nanoseconds
                        / 1_000_000),
                synchronized: true
            )
        )
    }

    public func run(_ events: [TraceEvent]) {
        for event in events {
            advance(to: event.time)
            if let milligrams = event.scaleMilligrams {
                var produced: [WeighingEvent] = []
                engine.ingest(Milligrams(milligrams), at: event.time) { produced.append($0) }
                weighed(produced)
            } else if let lid = event.lid, let open = event.open {
                let bin = BinID(rawValue: lid)
                if let change = debouncers[bin]?.edge(to: open, at: event.time) { lidChanged(bin, change) }
            } else if let text = event.card, let card = CardUID(text), presence.frame(card, at: event.time) {
                apply(kiosk.cardTapped(card, tappedAt: event.time, at: moment(event.time)))
            } else if let jump = event.wallJumpMilliseconds {
                wallOffsetMilliseconds += jump
                note("wall clock jumped \(jump) ms")
            } else if event.restart == true {
                restart(at: event.time)
            } else if let begin = event.service {
                note(begin ? "service mode begins" : "service mode ends")
                apply(begin ? kiosk.beginService(at: moment(event.time)) : kiosk.endService(at: moment(event.time)))
            }
        }
        advance(to: now + .seconds(1))
        apply(kiosk.shutdown(at: moment(now)))
    }

    /// The daemon was killed (no orderly shutdown) and starts again on the
    /// same ledger, as a new coordinator: the devices start afresh too.
    private func restart(at time: Instant) {
        note("daemon killed and restarted")
        earlierFailures += kiosk.failures
        do {
            kiosk = try KioskCoordinator(
                configuration: configuration, book: ledger, at: moment(time), logger: journal.logger)
            sessionsClosed += kiosk.interruptedSessions.map { _ in "interrupted" }
        } catch {
            ownFailures.append("restarting: \(error)")
        }
        engine = WeighingEngine(configuration: configuration.weighing, calibration: nil, startedAt: time)
        presence = CardPresenceFilter(gap: configuration.source.cardPresenceGap)
    }

    private func resetDebouncers() {
        for bin in configuration.source.bins {
            debouncers[bin.id] = Debouncer(interval: lidDebounce, initialLevel: false)
        }
    }

    private func advance(to time: Instant) {
        guard time >= now else { return }
        now = time
        journal.now = time
        var produced: [WeighingEvent] = []
        engine.tick(at: time) { produced.append($0) }
        weighed(produced)
        for bin in debouncers.keys.sorted() {
            if let change = debouncers[bin]?.tick(at: time) { lidChanged(bin, change) }
        }
        apply(kiosk.tick(at: moment(time)))
    }

    private func weighed(_ events: [WeighingEvent]) {
        for event in events { apply(kiosk.weighing(event, at: moment(now))) }
    }

    private func lidChanged(_ bin: BinID, _ change: Debouncer.Change) {
        apply(kiosk.lid(bin, open: change.level, changedAt: change.at, at: moment(now)))
    }

    /// What the daemon's devices would do with the coordinator's effects.
    private func apply(_ effects: [KioskEffect]) {
        for effect in effects {
            switch effect {
            case let .feedback(shown):
                feedback.append(shown)
                note("feedback: \(kiosk.describe(shown))")
            case let .scaleIdle(idle): engine.setIdle(idle)
            case .reestablishZero:
                var produced: [WeighingEvent] = []
                engine.reestablishZero(at: now) { produced.append($0) }
                weighed(produced)
            case let .outOfService(faults): faultsRaised += faults.filter { !faultsRaised.contains($0) }
            case .backInService: break
            case let .sessionClosed(closing): sessionsClosed.append(closing.reason.rawValue)
            }
        }
    }

    private func note(_ text: String) {
        journal.append(text)
    }
}

/// The replay's account: each line with the virtual time it happened at.
final class ReplayAccount: Sendable {
    private let state = Guarded<(now: Instant, lines: [String])>((.origin, []))

    var now: Instant {
        get { state.withLock { $0.now } }
        set { state.withLock { $0.now = newValue } }
    }

    var lines: [String] { state.withLock { $0.lines } }

    func append(_ text: String) {
        state.withLock { $0.lines.append("\($0.now)  \(text)") }
    }

    var logger: Logger {
        Logger(label: "replay") { [self] _ in AccountHandler(account: self) }
    }

    private struct AccountHandler: LogHandler {
        let account: ReplayAccount
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .info

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            account.append("\(event.message)")
        }
    }
}
