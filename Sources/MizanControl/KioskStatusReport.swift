/// The running kiosk as the control socket reports it: what `status` and
/// each `watch` update carry, what mizanctl, the web process and the tests
/// read. Versioned by `schema`; a field is added, never renamed.
public struct KioskStatusReport: Codable, Sendable, Hashable {
    public static let currentSchema = "mizan.status.v1"

    public var schema = Self.currentSchema
    public var kiosk: String
    public var inService = false
    /// Each active fault's name: `scale: overload`, `service_mode`, …
    public var faults: [String] = []
    public var session: String?
    public var household: Int64?
    /// `none`, `lid_open` or `settling`.
    public var depositPhase = "none"
    public var priceVersion: Int64?
    /// Deposits decided and not yet acknowledged by the ledger.
    public var awaitingCommit = 0
    public var scale: ScaleReport
    public var lids: [LidReport] = []
    public var cardReader = CardReaderReport()
    /// Why the lights and buzzer cannot be driven, while they cannot.
    public var outputsProblem: String?
    /// Why the ledger cannot be written, while it cannot.
    public var ledgerProblem: String?
    public var startedAtMs: Int64

    /// A kiosk out of service with nothing known yet; the daemon fills in the rest.
    public init(kiosk: String, startedAtMs: Int64, divisionG: Int64) {
        self.kiosk = kiosk
        self.startedAtMs = startedAtMs
        scale = ScaleReport(divisionG: divisionG)
    }

    public var openLids: [String] { lids.filter(\.open).map(\.bin) }
    public var inServiceMode: Bool { faults.contains("service_mode") }
}

/// What the scale thread last saw.
public struct ScaleReport: Codable, Sendable, Hashable {
    /// Samples accepted since start-up (a rate from two reports).
    public var samples: Int64 = 0
    public var divisionG: Int64
    /// The indication in grams, nil while there is none (no zero yet, a fault).
    public var weightG: Int64?
    public var stable = false
    public var zeroSet = false
    public var zeroOffsetMg: Int64?
    public var zeroBudgetMg: Int64?
    /// The weighing engine's own faults (overload, silent sensor, …).
    public var faults: [String] = []
    /// The stability window's spread, in milligrams.
    public var spreadMg: Int64?
    /// The HX711's raw counts, for calibration.
    public var rawCounts: Int64?

    public init(divisionG: Int64) {
        self.divisionG = divisionG
    }
}

/// One bin's lid.
public struct LidReport: Codable, Sendable, Hashable {
    public var bin: String
    public var open = false
    /// When it last changed (wall ms); the daemon's start for a lid that has not.
    public var sinceMs: Int64 = 0
    /// Bounces the debouncer swallowed since start-up.
    public var bounces = 0

    public init(bin: String) {
        self.bin = bin
    }
}

/// The card reader's counters and the last card it saw.
public struct CardReaderReport: Codable, Sendable, Hashable {
    public var framesAccepted = 0
    public var framesRejected = 0
    public var lastCard: LastCard?

    public struct LastCard: Codable, Sendable, Hashable {
        public var card: String
        /// `unknown`, `household 12`, `blocked household 7`.
        public var holder: String
        public var atMs: Int64

        public init(card: String, holder: String, atMs: Int64) {
            (self.card, self.holder, self.atMs) = (card, holder, atMs)
        }
    }

    public init() {}
}
