@testable import MizanCore

/// The weighing engine and the kiosk state machine wired together the way
/// the daemon wires them, around a simulated platform sampled at 80 Hz, with
/// a simulated ledger that remembers each household's carry and usage.
struct KioskHarness {
    var engine: WeighingEngine
    var kiosk: KioskStateMachine
    private(set) var now: Instant
    /// What truly lies on the platform, in milligrams.
    var trueMass: Int64 = 0
    /// Peak noise added to each sample, in milligrams.
    var noise: Int64 = 2_000
    /// Extra peak noise (a slammed lid, a passing truck) while > 0.
    var vibration: Int64 = 0
    /// When false, samples stop (a pulled cable).
    var sensorConnected = true
    /// When false, the simulated ledger refuses commits.
    var ledgerWorks = true
    var random: SeededRandom
    let samplePeriod: Duration = .microseconds(12_500)

    private(set) var decisions: [KioskDecision] = []
    private(set) var weighingEvents: [(Instant, WeighingEvent)] = []
    /// Committed deposits, as the ledger would hold them.
    private(set) var ledger: [DepositRecord] = []
    var accounts: [CardUID: CardLookup] = [:]

    init(
        configuration: ValidatedKioskConfiguration = Fixtures.kiosk(),
        prices: PriceTable? = Fixtures.prices,
        seed: UInt64 = 1
    ) {
        now = .origin
        engine = WeighingEngine(configuration: configuration.weighing, calibration: nil, startedAt: .origin)
        kiosk = KioskStateMachine(configuration: configuration, prices: prices)
        random = SeededRandom(seed: seed)
        accounts[Fixtures.cardA] = .active(HouseholdAccount(id: HouseholdID(1), card: Fixtures.cardA))
        accounts[Fixtures.cardB] = .active(HouseholdAccount(id: HouseholdID(2), card: Fixtures.cardB))
        accounts[Fixtures.blockedCard] = .blocked(HouseholdID(3))
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
                feed(.weighing(event))
            }
            feed(.tick(now))
        }
    }

    mutating func waitSeconds(_ seconds: Double) {
        wait(.nanoseconds(Int64(seconds * 1e9)))
    }

    mutating func place(grams: Int64) {
        trueMass += grams * 1000
    }

    mutating func tap(_ card: CardUID) {
        feed(.cardTapped(CardTap(card: card, lookup: accounts[card] ?? .unknown, at: now)))
    }

    mutating func open(_ bin: BinID) {
        feed(.lidOpened(bin, at: now))
    }

    mutating func close(_ bin: BinID) {
        feed(.lidClosed(bin, at: now))
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

    /// What the daemon does when a technician ends service mode.
    mutating func reestablishZero() {
        var events: [WeighingEvent] = []
        engine.reestablishZero(at: now) { events.append($0) }
        for event in events { feed(.weighing(event)) }
    }

    /// A technician empties the bins in service mode, then ends it.
    mutating func emptyBins() {
        feed(.faultRaised(.serviceMode, at: now))
        trueMass = 0
        waitSeconds(1)
        reestablishZero()
        feed(.faultCleared(.serviceMode, at: now))
        waitSeconds(1.5)
    }

    /// The daemon's loop: carry out each decision, report commits back.
    mutating func feed(_ input: KioskInput) {
        var queue = [input]
        while !queue.isEmpty {
            let next = queue.removeFirst()
            for decision in kiosk.handle(next) {
                decisions.append(decision)
                switch decision {
                case let .commitDeposit(record):
                    if ledgerWorks {
                        ledger.append(record)
                        remember(record)
                        queue.append(.depositCommitted(record.id, at: now))
                    } else {
                        queue.append(.depositCommitFailed(record.id, at: now, idUnused: true))
                    }
                case let .scaleIdle(idle):
                    engine.setIdle(idle)
                default:
                    break
                }
            }
        }
    }

    /// What the ledger would hand the next session of the household.
    private mutating func remember(_ record: DepositRecord) {
        guard record.reason.isCredited, let household = record.household,
              let (card, lookup) = accounts.first(where: {
                  if case let .active(account) = $0.value { account.id == household } else { false }
              }),
              case var .active(account) = lookup
        else { return }
        account.carry = record.carryOut
        account.usageToday.creditMinorUnits += record.credit
        account.usageToday.grams += record.creditedGrams.value
        accounts[card] = .active(account)
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
