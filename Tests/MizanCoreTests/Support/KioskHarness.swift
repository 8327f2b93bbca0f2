@testable import MizanCore

import Logging
import MizanKiosk
import MizanLedger

/// The daemon's own kiosk coordinator on a virtual clock, with a simulated
/// platform sampled at 80 Hz through the weighing engine and a book in
/// memory that remembers each household's carry and usage.
struct KioskHarness {
    var engine: WeighingEngine
    let kiosk: KioskCoordinator
    let book: MemoryBook
    private(set) var now: Instant
    /// The wall clock at the harness's start (ms since the epoch).
    let wallStart: Int64
    /// Monday 23 November 2026, 08:00 in Hebron.
    static let mondayMorning: Int64 = 1_795_413_600_000
    /// What truly lies on the platform, in milligrams.
    var trueMass: Int64 = 0
    /// Peak noise added to each sample, in milligrams.
    var noise: Int64 = 2_000
    /// Extra peak noise (a slammed lid, a passing truck) while > 0.
    var vibration: Int64 = 0
    /// When false, samples stop (a pulled cable).
    var sensorConnected = true
    /// When false, the book refuses writes (and probes) like a full disk.
    var ledgerWorks: Bool {
        get { book.works }
        nonmutating set { book.works = newValue }
    }
    var random: SeededRandom
    let samplePeriod: Duration = .microseconds(12_500)
    private let observed = Observed()
    private(set) var weighingEvents: [(Instant, WeighingEvent)] = []

    /// Every decision the coordinator carried out, in order.
    var decisions: [KioskDecision] { observed.decisions }
    /// Committed deposits, as the ledger would hold them.
    var ledger: [DepositRecord] { book.deposits }

    private final class Observed {
        var decisions: [KioskDecision] = []
    }

    init(
        configuration: ValidatedKioskConfiguration = Fixtures.kiosk(),
        prices: PriceTable? = Fixtures.prices,
        seed: UInt64 = 1,
        wallStart: Int64 = Self.mondayMorning
    ) {
        now = .origin
        self.wallStart = wallStart
        engine = WeighingEngine(configuration: configuration.weighing, calibration: nil, startedAt: .origin)
        random = SeededRandom(seed: seed)
        book = MemoryBook(prices: prices)
        book.accounts[Fixtures.cardA] = .active(HouseholdAccount(id: HouseholdID(1), card: Fixtures.cardA))
        book.accounts[Fixtures.cardB] = .active(HouseholdAccount(id: HouseholdID(2), card: Fixtures.cardB))
        book.accounts[Fixtures.blockedCard] = .blocked(HouseholdID(3))
        let start = KioskMoment(
            monotonic: .origin,
            clock: LedgerClockReading(wall: WallClockTime(millisecondsSinceEpoch: wallStart), synchronized: true))
        // The book in memory cannot refuse to open.
        kiosk = try! KioskCoordinator(
            configuration: configuration, book: book, at: start,
            logger: Logger(label: "harness") { _ in SwiftLogNoOpLogHandler() }
        )
        let observed = observed
        kiosk.observeDecisions { observed.decisions.append($0) }
    }

    var moment: KioskMoment {
        KioskMoment(
            monotonic: now,
            clock: LedgerClockReading(
                wall: WallClockTime(millisecondsSinceEpoch: wallStart + now.nanoseconds / 1_000_000), synchronized: true
            )
        )
    }

    // MARK: Actions

    /// Lets time pass, sampling the platform every 12.5 ms.
    mutating func wait(_ duration: Duration) {
        let end = now + duration
        while now < end {
            now = now + samplePeriod
            var events: [WeighingEvent] = []
            if sensorConnected {
                let peak = noise + vibration
                let sample = trueMass + (peak > 0 ? random.int(in: -peak...peak) : 0)
                engine.ingest(Milligrams(sample), at: now) { events.append($0) }
            }
            engine.tick(at: now) { events.append($0) }
            for event in events {
                weighingEvents.append((now, event))
                apply(kiosk.weighing(event, at: moment))
            }
            apply(kiosk.tick(at: moment))
        }
    }

    mutating func waitSeconds(_ seconds: Double) {
        wait(.nanoseconds(Int64(seconds * 1e9)))
    }

    mutating func place(grams: Int64) {
        trueMass += grams * 1000
    }

    mutating func tap(_ card: CardUID) {
        apply(kiosk.cardTapped(card, tappedAt: now, at: moment))
    }

    mutating func open(_ bin: BinID) {
        apply(kiosk.lid(bin, open: true, changedAt: now, at: moment))
    }

    mutating func close(_ bin: BinID) {
        apply(kiosk.lid(bin, open: false, changedAt: now, at: moment))
    }

    /// Open the lid, drop the mass, close, and let the scale settle.
    mutating func deposit(_ grams: Int64, into bin: BinID) {
        open(bin)
        waitSeconds(0.3)
        place(grams: grams)
        waitSeconds(0.5)
        close(bin)
        waitSeconds(1.5)
    }

    mutating func beginService() {
        apply(kiosk.beginService(at: moment))
    }

    /// Ends service mode: zero is set again, then back in service.
    mutating func endService() {
        apply(kiosk.endService(at: moment))
    }

    /// A technician empties the bins in service mode, then ends it.
    mutating func emptyBins() {
        beginService()
        trueMass = 0
        waitSeconds(1)
        endService()
        waitSeconds(1.5)
    }

    /// Any input, as the state machine takes it.
    mutating func feed(_ input: KioskInput) {
        apply(kiosk.handle(input, at: moment))
    }

    /// What the daemon's scale thread does with the coordinator's effects.
    private mutating func apply(_ effects: [KioskEffect]) {
        for effect in effects {
            switch effect {
            case let .scaleIdle(idle):
                engine.setIdle(idle)
            case .reestablishZero:
                var events: [WeighingEvent] = []
                engine.reestablishZero(at: now) { events.append($0) }
                for event in events { apply(kiosk.weighing(event, at: moment)) }
            default:
                break
            }
        }
    }

    // MARK: Observations

    var feedback: [Feedback] {
        decisions.compactMap { if case let .feedback(feedback) = $0 { feedback } else { nil } }
    }

    var lastDeposit: DepositRecord? { ledger.last }

    func credit(of household: HouseholdID) -> Int64 {
        ledger.filter { $0.household == household }.reduce(0) { $0 + $1.credit }
    }

    var sessionsClosed: [SessionClosing] {
        decisions.compactMap { if case let .closeSession(closing) = $0 { closing } else { nil } }
    }

    var sessionsOpened: [SessionOpening] {
        decisions.compactMap { if case let .openSession(opening) = $0 { opening } else { nil } }
    }

    /// Starts the kiosk: lets the empty scale settle and set its zero.
    mutating func start() {
        waitSeconds(1.5)
    }
}
