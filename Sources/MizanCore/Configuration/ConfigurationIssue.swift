/// One problem with a configuration value, named by the key a technician
/// would edit, e.g. `scale.division_g: must be 1, 2 or 5 × 10^k grams, got 3`.
public struct ConfigurationIssue: Hashable, Sendable, CustomStringConvertible {
    public let key: String
    public let message: String

    public init(key: String, message: String) {
        self.key = key
        self.message = message
    }

    public var description: String { "\(key): \(message)" }
}

/// Every problem found in one configuration, so a technician fixes them all
/// in one edit instead of one per restart.
public struct ConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    public let issues: [ConfigurationIssue]

    public init(issues: [ConfigurationIssue]) {
        self.issues = issues
    }

    public var description: String {
        "invalid configuration:\n" + issues.map { "  \($0)" }.joined(separator: "\n")
    }

    /// Throws when `issues` is not empty.
    public static func check(_ issues: [ConfigurationIssue]) throws(ConfigurationError) {
        if !issues.isEmpty { throw ConfigurationError(issues: issues) }
    }
}
