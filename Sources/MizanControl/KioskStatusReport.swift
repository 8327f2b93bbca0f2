/// The running kiosk as the control socket reports it: what `status` and
/// each `watch` update carry, what mizanctl, the web process and the tests
/// read. Versioned by `schema`; a field is added, never renamed.
public struct KioskStatusReport: Codable, Sendable, Hashable {
    public static let currentSchema = "mizan.status.v1"

    public var schema = Self.currentSchema
    public var kiosk: String
    public var inService: Bool
    /// Each active fault's name: `scale:overload`, `service_mode`, …
    public var faults: [String]
    public var session: String?
    public var household: Int64?
    /// `none`, `lid_open` or `settling`.
    public var depositPhase: String
    public var priceVersion: Int64?
    /// Deposits decided and not yet acknowledged by the ledger.
    public var awaitingCommit: Int
    public var scale: ScaleReport
    public var lids: [LidReport]
    public var cardReader: CardReaderReport
    /// Why the lights and buzzer cannot be driven, while they cannot.
    public var outputsProblem: String?
    /// Why the ledger cannot be written, while it cannot.
    public var ledgerProblem: String?
    public var startedAtMs: Int64

    public init(
        kiosk: String, inService: Bool, faults: [String], session: String? = nil, household: Int64? = nil,
        depositPhase: String = "none", priceVersion: Int64? = nil, awaitingCommit: Int = 0,
        scale: ScaleReport, lids: [LidReport], cardReader: CardReaderReport = .init(),
        outputsProblem: String? = nil, ledgerProblem: String? = nil, startedAtMs: Int64
    ) {
        self.kiosk = kiosk
        self.inService = inService
        self.faults = faults
        self.session = session
        self.household = household
        self.depositPhase = depositPhase
        self.priceVersion = priceVersion
        self.awaitingCommit = awaitingCommit
        self.scale = scale
        self.lids = lids
        self.cardReader = cardReader
        self.outputsProblem = outputsProblem
        self.ledgerProblem = ledgerProblem
        self.startedAtMs = startedAtMs
    }

    public var openLids: [String] { lids.filter(\.open).map(\.bin) }
    public var inServiceMode: Bool { faults.contains("service_mode") }
}

/// What the scale thread last saw.
public struct ScaleReport: Codable, Sendable, Hashable {
    /// Samples accepted since start-up (a rate from two reports).
    public var samples: Int64
    public var divisionG: Int64
    /// The indication in grams, nil while there is none (no zero yet, a fault).
    public var weightG: Int64?
    public var stable: Bool
    public var zeroSet: Bool
    public var zeroOffsetMg: Int64?
    public var zeroBudgetMg: Int64?
    /// The weighing engine's own faults (overload, silent sensor, …).
    public var faults: [String]
    /// The stability window's spread, in milligrams.
    public var spreadMg: Int64?
    /// The HX711's raw counts, for calibration.
    public var rawCounts: Int64?

    public init(
        samples: Int64 = 0, divisionG: Int64, weightG: Int64? = nil, stable: Bool = false, zeroSet: Bool = false,
        zeroOffsetMg: Int64? = nil, zeroBudgetMg: Int64? = nil, faults: [String] = [], spreadMg: Int64? = nil, rawCounts: Int64? = nil
    ) {
        self.samples = samples
        self.divisionG = divisionG
        self.weightG = weightG
        self.stable = stable
        self.zeroSet = zeroSet
        self.zeroOffsetMg = zeroOffsetMg
        self.zeroBudgetMg = zeroBudgetMg
        self.faults = faults
        self.spreadMg = spreadMg
        self.rawCounts = rawCounts
    }
}

/// One bin's lid.
public struct LidReport: Codable, Sendable, Hashable {
    public var bin: String
    public var open: Bool
    /// When it last changed (wall ms); the daemon's start for a lid that has not.
    public var sinceMs: Int64
    /// Bounces the debouncer swallowed since start-up.
    public var bounces: Int

    public init(bin: String, open: Bool, sinceMs: Int64, bounces: Int) {
        self.bin = bin
        self.open = open
        self.sinceMs = sinceMs
        self.bounces = bounces
    }
}

/// The card reader's counters and the last card it saw.
public struct CardReaderReport: Codable, Sendable, Hashable {
    public var framesAccepted: Int
    public var framesRejected: Int
    public var lastCard: LastCard?

    public struct LastCard: Codable, Sendable, Hashable {
        public var card: String
        /// `unknown`, `household 12`, `blocked household 7`.
        public var holder: String
        public var atMs: Int64

        public init(card: String, holder: String, atMs: Int64) {
            self.card = card
            self.holder = holder
            self.atMs = atMs
        }
    }

    public init(framesAccepted: Int = 0, framesRejected: Int = 0, lastCard: LastCard? = nil) {
        self.framesAccepted = framesAccepted
        self.framesRejected = framesRejected
        self.lastCard = lastCard
    }
}
