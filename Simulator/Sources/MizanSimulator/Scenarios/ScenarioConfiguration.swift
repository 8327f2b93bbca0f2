import MizanCore
import MizanYAML

/// The rule overrides a scenario may set, by the same keys the daemon's
/// configuration and its error messages use.
enum ScenarioConfiguration {
    static func apply(_ overrides: StrictMapping, to configuration: inout KioskConfiguration) throws(YAMLError) {
        if let scale = try overrides.mapping("scale") {
            configuration.weighing.divisionGrams = try scale.integer("division_g") ?? configuration.weighing.divisionGrams
            configuration.weighing.capacityGrams = try scale.integer("max_g") ?? configuration.weighing.capacityGrams
            configuration.weighing.stabilityWindow = try scale.milliseconds("stability_window_ms") ?? configuration.weighing.stabilityWindow
            configuration.weighing.sensorSilenceTimeout = try scale.milliseconds("sensor_silence_timeout_ms") ?? configuration.weighing.sensorSilenceTimeout
            try scale.finish()
        }
        if let deposit = try overrides.mapping("deposit") {
            configuration.minimumDepositDivisions = try deposit.integer("minimum_e") ?? configuration.minimumDepositDivisions
            configuration.maximumDepositGrams = try deposit.integer("maximum_g") ?? configuration.maximumDepositGrams
            configuration.settleTimeout = try deposit.milliseconds("settle_timeout_ms") ?? configuration.settleTimeout
            try deposit.finish()
        }
        if let session = try overrides.mapping("session") {
            configuration.sessionIdleTimeout = try session.milliseconds("idle_timeout_ms") ?? configuration.sessionIdleTimeout
            try session.finish()
        }
        if let lids = try overrides.mapping("lids") {
            configuration.lidStuckTimeout = try lids.milliseconds("stuck_timeout_ms") ?? configuration.lidStuckTimeout
            try lids.finish()
        }
        if let caps = try overrides.mapping("caps") {
            configuration.caps.creditMinorUnits = try caps.integer("daily_credit") ?? configuration.caps.creditMinorUnits
            configuration.caps.grams = try caps.integer("daily_grams") ?? configuration.caps.grams
            try caps.finish()
        }
        try overrides.finish()
    }
}
