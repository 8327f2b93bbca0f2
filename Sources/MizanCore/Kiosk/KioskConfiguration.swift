/// One bin: its lid sensor and the material it takes.
public struct BinConfiguration: Hashable, Sendable {
    public var id: BinID
    public var material: MaterialID

    public init(id: BinID, material: MaterialID) {
        self.id = id
        self.material = material
    }
}

/// Every rule of the deposit and session logic, with the brief's defaults.
/// Construct freely, then call `validated()`.
public struct KioskConfiguration: Hashable, Sendable {
    public var kioskID = "beni-zeid-01"
    public var currency = Currency.beniZeidCredit
    public var materials = Material.pilotFractions
    public var bins: [BinConfiguration] = Material.pilotFractions.map {
        BinConfiguration(id: BinID(rawValue: $0.id.rawValue), material: $0.id)
    }
    public var weighing = WeighingConfiguration()
    /// The minimum deposit, in divisions of the scale (default 20 e).
    public var minimumDepositDivisions: Int64 = 20
    /// Anything heavier in one deposit is implausible.
    public var maximumDepositGrams: Int64 = 30_000
    /// After the last lid closes, a stable reading must come within this.
    public var settleTimeout: Duration = .seconds(8)
    /// A session closes after this long without a tap or a lid.
    public var sessionIdleTimeout: Duration = .seconds(60)
    /// A lid open this long is a fault.
    public var lidStuckTimeout: Duration = .seconds(120)
    /// Repeated frames of the same card within this gap are one tap.
    public var cardPresenceGap: Duration = .milliseconds(500)
    public var caps = DailyCaps.none

    public init() {}

    public static let minimumDepositFloorDivisions: Int64 = 5

    public func issues() -> [ConfigurationIssue] {
        var issues = weighing.issues(keyPrefix: "scale")
        func problem(_ key: String, _ message: String) {
            issues.append(ConfigurationIssue(key: key, message: message))
        }
        let idScalars = kioskID.unicodeScalars
        if kioskID.isEmpty || kioskID.count > 32
            || !idScalars.allSatisfy({
                ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                    || $0 == "_"
            })
        {
            problem("kiosk.id", "must be 1 to 32 letters, digits, '-' or '_', got \"\(kioskID)\"")
        }
        issues += currency.issues(keyPrefix: "currency")

        var materialIDs = Set<MaterialID>()
        for (index, material) in materials.enumerated() {
            if !material.id.isWellFormed {
                problem(
                    "materials[\(index)].id",
                    "must be 1 to 32 lower-case letters, digits or '_', got \"\(material.id)\"")
            }
            if !materialIDs.insert(material.id).inserted {
                problem("materials[\(index)].id", "\"\(material.id)\" appears more than once")
            }
            if material.nameArabic.isEmpty { problem("materials[\(index)].name_ar", "must not be empty") }
            if material.nameEnglish.isEmpty { problem("materials[\(index)].name_en", "must not be empty") }
        }
        if bins.isEmpty { problem("bins", "at least one bin is needed") }
        var binIDs = Set<BinID>()
        for (index, bin) in bins.enumerated() {
            if bin.id.rawValue.isEmpty { problem("bins[\(index)].id", "must not be empty") }
            if !binIDs.insert(bin.id).inserted { problem("bins[\(index)].id", "\"\(bin.id)\" appears more than once") }
            if !materialIDs.contains(bin.material) {
                problem(
                    "bins[\(index)].material",
                    "unknown material \"\(bin.material)\"; known: \(materialIDs.sorted().map(\.rawValue).joined(separator: ", "))"
                )
            }
        }

        if minimumDepositDivisions < Self.minimumDepositFloorDivisions {
            problem(
                "deposit.minimum_e",
                "must be at least \(Self.minimumDepositFloorDivisions) divisions, got \(minimumDepositDivisions)")
        }
        let (minimumGrams, overflow) = minimumDepositDivisions.multipliedReportingOverflow(by: weighing.divisionGrams)
        if overflow {
            problem(
                "deposit.minimum_e",
                "times the division (\(weighing.divisionGrams) g) is beyond any scale, got \(minimumDepositDivisions)")
        } else if maximumDepositGrams <= minimumGrams || maximumDepositGrams > weighing.capacityGrams {
            problem(
                "deposit.maximum_g",
                "must be above the minimum deposit (\(minimumGrams) g) and at most Max (\(weighing.capacityGrams) g), got \(maximumDepositGrams)"
            )
        }
        func checkRange(_ key: String, _ value: Duration, _ range: ClosedRange<Duration>) {
            if !range.contains(value) {
                problem(
                    key,
                    "must be between \(range.lowerBound.milliseconds) and \(range.upperBound.milliseconds) ms, got \(value.milliseconds)"
                )
            }
        }
        checkRange("deposit.settle_timeout_ms", settleTimeout, .seconds(1)...(.seconds(60)))
        checkRange("session.idle_timeout_ms", sessionIdleTimeout, .seconds(5)...(.seconds(3600)))
        checkRange("lids.stuck_timeout_ms", lidStuckTimeout, .seconds(10)...(.seconds(3600)))
        checkRange("card_reader.presence_gap_ms", cardPresenceGap, .milliseconds(150)...(.seconds(10)))
        if settleTimeout <= weighing.stabilityWindow {
            problem(
                "deposit.settle_timeout_ms",
                "must be longer than the stability window (\(weighing.stabilityWindow.milliseconds) ms), got \(settleTimeout.milliseconds)"
            )
        }
        issues += caps.issues(keyPrefix: "caps")
        return issues
    }

    public func validated() throws(ConfigurationError) -> ValidatedKioskConfiguration {
        try ConfigurationError.check(issues())
        return ValidatedKioskConfiguration(self)
    }
}

/// A `KioskConfiguration` known to be valid.
public struct ValidatedKioskConfiguration: Hashable, Sendable {
    public let source: KioskConfiguration
    public let weighing: ValidatedWeighingConfiguration
    public let minimumDeposit: Grams
    public let materialsByID: [MaterialID: Material]
    public let binMaterials: [BinID: MaterialID]

    fileprivate init(_ configuration: KioskConfiguration) {
        source = configuration
        weighing = ValidatedWeighingConfiguration(unchecked: configuration.weighing)
        minimumDeposit = Grams(configuration.minimumDepositDivisions * configuration.weighing.divisionGrams)
        materialsByID = Dictionary(uniqueKeysWithValues: configuration.materials.map { ($0.id, $0) })
        binMaterials = Dictionary(uniqueKeysWithValues: configuration.bins.map { ($0.id, $0.material) })
    }

    public var kioskID: String { source.kioskID }
}
