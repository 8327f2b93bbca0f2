/// Per-household limits per local day, so a cloned card cannot drain the
/// issuer. Nil means no limit of that kind.
public struct DailyCaps: Hashable, Sendable {
    public var creditMinorUnits: Int64?
    public var grams: Int64?

    public init(creditMinorUnits: Int64? = nil, grams: Int64? = nil) {
        self.creditMinorUnits = creditMinorUnits
        self.grams = grams
    }

    public static let none = DailyCaps()

    public func issues(keyPrefix: String = "caps") -> [ConfigurationIssue] {
        var issues: [ConfigurationIssue] = []
        if let creditMinorUnits, creditMinorUnits <= 0 {
            issues.append(
                .init(
                    key: "\(keyPrefix).daily_credit",
                    message: "must be more than 0 minor units (or absent for no cap), got \(creditMinorUnits)"))
        }
        if let grams, grams <= 0 {
            issues.append(
                .init(
                    key: "\(keyPrefix).daily_grams",
                    message: "must be more than 0 g (or absent for no cap), got \(grams)"))
        }
        return issues
    }
}

/// What a household has used of its caps on one local day.
public struct DailyUsage: Hashable, Sendable, Codable {
    public var creditMinorUnits: Int64
    /// Grams that earned credit.
    public var grams: Int64

    public init(creditMinorUnits: Int64, grams: Int64) {
        self.creditMinorUnits = creditMinorUnits
        self.grams = grams
    }

    public static let zero = DailyUsage(creditMinorUnits: 0, grams: 0)
}
