import MizanConfiguration

/// A configuration file as a technician might mistype it, or worse.
enum ConfigurationTarget {
    static let target = FuzzTarget(
        name: "configuration",
        property: "no trap; the same text gives the same answer twice; a refusal names at least one problem"
    ) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        let first = outcome(text)
        if first.isEmpty { return "refused without naming a problem" }
        let second = outcome(text)
        return first == second ? nil : "read twice: \(first) then \(second)"
    }

    private static func outcome(_ text: String) -> String {
        do {
            let configuration = try ConfigurationLoader.parse(text, file: "fuzz.yaml")
            return "accepted \(configuration.kiosk.kioskID)"
        } catch {
            return error.problems.map { "\($0)" }.joined(separator: "; ")
        }
    }
}
