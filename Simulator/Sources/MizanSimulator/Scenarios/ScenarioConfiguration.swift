import MizanConfiguration
import MizanCore
import MizanYAML

/// The rule overrides a scenario may set: the same sections, keys and
/// reading as the daemon's configuration (`KioskRulesSections`).
enum ScenarioConfiguration {
    static func apply(_ overrides: StrictMapping, to configuration: inout KioskConfiguration) throws(YAMLError) {
        if let scale = try overrides.mapping("scale") {
            try KioskRulesSections.readMetrology(scale, into: &configuration.weighing)
            try scale.finish()
        }
        try KioskRulesSections.readRules(overrides, into: &configuration)
        try overrides.finish()
    }
}
