import Foundation
public import MizanCore
public import MizanYAML
import Yams

/// A scenario: who lives in the village, the prices, rule overrides, what
/// happens at the kiosk, and what must come out. See Simulator/README.md.
public struct Scenario: Sendable {
    public struct Household: Sendable, Hashable {
        public let card: CardUID
        public let name: String
        public let blocked: Bool
    }

    public enum Action: Sendable, Hashable {
        case wait(Duration)
        case tap(CardUID)
        case open(BinID)
        case close(BinID)
        case slam(BinID)
        case drop(grams: Int64)
        case take(grams: Int64)
        case deposit(bin: BinID, grams: Int64, slam: Bool)
        case vibrate(peakGrams: Int64, duration: Duration)
        case pullScaleCable
        case reconnectScale
        case emptyBins
        case jumpClock(Duration)
        case killDaemon
    }

    public struct Expectations: Sendable, Hashable {
        /// Balance per card, in minor units.
        public var credits: [CardUID: Int64] = [:]
        /// Every deposit's reason, in order.
        public var deposits: [DepositReason]?
        /// Refused taps, in order (unknown_card, blocked_card, …).
        public var refused: [TapRefusal]?
        /// Faults that must have been raised (e.g. "scale: overload").
        public var faults: [String] = []
        /// Session close reasons, in order.
        public var sessionsClosed: [String]?
        public var creditedGrams: Int64?
        public var anonymousGrams: Int64?
        /// The kiosk must be in service at the end.
        public var inServiceAtEnd: Bool?
        /// Clock anomalies recorded in the audit log (the ledger's time
        /// never runs backwards).
        public var clockAnomalies: Int?
    }

    /// The physical world's parameters.
    public struct Physics: Sendable, Hashable {
        public var noiseMilligrams: Int64 = 2_000
        public var driftMilligramsPerHour: Int64 = 800
        public var lidBounces = 3
        public var cardCorruptionThousandths: Int64 = 0
    }

    public let name: String
    public let description: String
    public let seed: UInt64
    public let households: [Household]
    public let prices: PriceTable
    public let configuration: KioskConfiguration
    public let physics: Physics
    public let timeline: [Action]
    public let expectations: Expectations

    /// Reads and checks a scenario file; every error names the file, line and key.
    public static func parse(_ text: String, file: String) throws(YAMLError) -> Scenario {
        let root = try StrictMapping.document(text, file: file)
        let name = try root.requiredString("name")
        let description = try root.string("description") ?? ""
        let seed = UInt64(clamping: try root.integer("seed") ?? 1)

        var households: [Household] = []
        for (index, node) in (try root.sequence("households") ?? []).enumerated() {
            let entry = try StrictMapping(node, file: file, path: "households[\(index)]")
            let cardText = try entry.requiredString("card")
            guard let card = CardUID(cardText) else {
                throw entry.error("card", "must be 2 to 32 hex digits, got \"\(cardText)\"")
            }
            let status = try entry.string("status") ?? "active"
            guard status == "active" || status == "blocked" else {
                throw entry.error("status", "must be active or blocked, got \"\(status)\"")
            }
            households.append(
                Household(card: card, name: try entry.string("name") ?? card.hex, blocked: status == "blocked"))
            try entry.finish()
        }

        var rates: [MaterialID: Int64] = [:]
        var version: Int64 = 1
        if let prices = try root.mapping("prices") {
            version = try prices.integer("version") ?? 1
            if let table = try prices.mapping("rates") {
                for material in table.keys {
                    rates[MaterialID(rawValue: material)] = try table.integer(material)
                }
                try table.finish()
            }
            try prices.finish()
        }
        let prices = PriceTable(
            version: version, effectiveFrom: WallClockTime(secondsSinceEpoch: 0), ratesPerKilogram: rates)

        var configuration = KioskConfiguration()
        configuration.kioskID = "sim-01"
        if let overrides = try root.mapping("config") {
            try ScenarioConfiguration.apply(overrides, to: &configuration)
        }
        let configurationIssues =
            configuration.issues() + prices.issues(knownMaterials: Set(configuration.materials.map(\.id)))
        if let issue = configurationIssues.first {
            throw YAMLError(file: file, line: nil, key: issue.key, message: issue.message)
        }

        var physics = Physics()
        if let world = try root.mapping("physics") {
            physics.noiseMilligrams = try world.integer("noise_mg") ?? physics.noiseMilligrams
            physics.driftMilligramsPerHour = try world.integer("drift_mg_per_hour") ?? physics.driftMilligramsPerHour
            physics.lidBounces = Int(try world.integer("lid_bounces") ?? Int64(physics.lidBounces))
            physics.cardCorruptionThousandths =
                try world.integer("card_corruption_per_mille") ?? physics.cardCorruptionThousandths
            try world.finish()
        }

        var timeline: [Action] = []
        for (index, node) in (try root.sequence("timeline") ?? []).enumerated() {
            timeline.append(try ScenarioTimeline.action(node, file: file, path: "timeline[\(index)]"))
        }
        let expectations = try ScenarioExpectations.parse(try root.mapping("expect"), file: file)
        try root.finish()
        return Scenario(
            name: name, description: description, seed: seed, households: households, prices: prices,
            configuration: configuration, physics: physics, timeline: timeline, expectations: expectations
        )
    }
}
