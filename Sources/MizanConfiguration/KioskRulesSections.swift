public import MizanCore
public import MizanYAML

/// The kiosk's rules — the scale's metrology, deposits, sessions, lids and
/// daily caps — read the same way from the daemon's configuration and from
/// a scenario file's `config:` overrides. Absent keys keep `kiosk`'s values.
public enum KioskRulesSections {
    /// The metrological keys of a `scale:` section.
    public static func readMetrology(
        _ section: StrictMapping, into weighing: inout WeighingConfiguration
    ) throws(YAMLError) {
        typealias Key = ConfigurationKeys.Scale
        weighing.divisionGrams = try section.integer(Key.divisionGrams) ?? weighing.divisionGrams
        weighing.capacityGrams = try section.integer(Key.capacityGrams) ?? weighing.capacityGrams
        weighing.stabilityWindow = try section.milliseconds(Key.stabilityWindow) ?? weighing.stabilityWindow
        weighing.motionBandGrams = try section.integer(Key.motionBand) ?? weighing.motionBandGrams
        weighing.sensorSilenceTimeout = try section.milliseconds(Key.sensorSilence) ?? weighing.sensorSilenceTimeout
        weighing.startupZeroRangePercent = try section.integer(Key.startupZeroRange) ?? weighing.startupZeroRangePercent
        weighing.zeroRangePercent = try section.integer(Key.zeroRange) ?? weighing.zeroRangePercent
        weighing.overloadMarginDivisions = try section.integer(Key.overloadMargin) ?? weighing.overloadMarginDivisions
        weighing.underloadLimitDivisions = try section.integer(Key.underloadLimit) ?? weighing.underloadLimitDivisions
    }

    /// The `deposit:`, `session:`, `lids:` and `caps:` sections of `root`.
    public static func readRules(_ root: StrictMapping, into kiosk: inout KioskConfiguration) throws(YAMLError) {
        if let section = try root.mapping("deposit") {
            typealias Key = ConfigurationKeys.Deposit
            kiosk.minimumDepositDivisions = try section.integer(Key.minimumDivisions) ?? kiosk.minimumDepositDivisions
            kiosk.maximumDepositGrams = try section.integer(Key.maximumGrams) ?? kiosk.maximumDepositGrams
            kiosk.settleTimeout = try section.milliseconds(Key.settleTimeout) ?? kiosk.settleTimeout
            try section.finish()
        }
        if let section = try root.mapping("session") {
            kiosk.sessionIdleTimeout =
                try section.milliseconds(ConfigurationKeys.Session.idleTimeout) ?? kiosk.sessionIdleTimeout
            try section.finish()
        }
        if let section = try root.mapping("lids") {
            kiosk.lidStuckTimeout =
                try section.milliseconds(ConfigurationKeys.Lids.stuckTimeout) ?? kiosk.lidStuckTimeout
            try section.finish()
        }
        if let section = try root.mapping("caps") {
            kiosk.caps.creditMinorUnits =
                try section.integer(ConfigurationKeys.Caps.dailyCredit) ?? kiosk.caps.creditMinorUnits
            kiosk.caps.grams = try section.integer(ConfigurationKeys.Caps.dailyGrams) ?? kiosk.caps.grams
            try section.finish()
        }
    }
}
