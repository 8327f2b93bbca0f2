/// The municipality's prices: minor units of currency per kilogram of each
/// material, valid from a point in time. A table is never edited: a change
/// of price is a new version, so every deposit names the version it used.
public struct PriceTable: Hashable, Sendable, Codable {
    public let version: Int64
    public let effectiveFrom: WallClockTime
    public let ratesPerKilogram: [MaterialID: Int64]

    /// Rates above this are refused as typing mistakes (a thousand major
    /// units per kilogram of waste is no real price).
    public static let maximumRatePerKilogram: Int64 = 10_000_000

    public init(version: Int64, effectiveFrom: WallClockTime, ratesPerKilogram: [MaterialID: Int64]) {
        self.version = version
        self.effectiveFrom = effectiveFrom
        self.ratesPerKilogram = ratesPerKilogram
    }

    public func rate(for material: MaterialID) -> Int64? {
        ratesPerKilogram[material]
    }

    /// Problems with this table against the kiosk's known materials.
    public func issues(knownMaterials: Set<MaterialID>, keyPrefix: String = "prices") -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if version < 1 {
            issues.append(.init(key: "\(keyPrefix).version", message: "must be 1 or more, got \(version)"))
        }
        for (material, rate) in ratesPerKilogram.sorted(by: { $0.key < $1.key }) {
            let key = "\(keyPrefix).rates.\(material)"
            if !knownMaterials.contains(material) {
                issues.append(
                    .init(
                        key: key,
                        message:
                            "unknown material; known: \(knownMaterials.sorted().map(\.rawValue).joined(separator: ", "))"
                    ))
            }
            if rate < 0 || rate > Self.maximumRatePerKilogram {
                issues.append(
                    .init(
                        key: key,
                        message: "must be between 0 and \(Self.maximumRatePerKilogram) minor units per kg, got \(rate)")
                )
            }
        }
        return issues
    }
}

/// Every price table version the kiosk knows, and which one is in force when.
public struct PriceSchedule: Hashable, Sendable {
    /// Sorted by effective time, then version.
    public let tables: [PriceTable]

    public init(_ tables: [PriceTable]) throws(ConfigurationError) {
        var issues: [ConfigurationIssue] = []
        var seen = Set<Int64>()
        for table in tables where !seen.insert(table.version).inserted {
            issues.append(.init(key: "prices.version", message: "version \(table.version) appears more than once"))
        }
        try ConfigurationError.check(issues)
        self.tables = tables.sorted { ($0.effectiveFrom, $0.version) < ($1.effectiveFrom, $1.version) }
    }

    /// The table in force at `time`: the latest whose effective time has
    /// come; when two take effect at the same moment, the higher version.
    public func active(at time: WallClockTime) -> PriceTable? {
        tables.last { $0.effectiveFrom <= time }
    }
}
