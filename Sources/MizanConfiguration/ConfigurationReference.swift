/// `docs/configuration.md`, made from the key declarations
/// (`mizand --configuration-reference > docs/configuration.md`); a test
/// fails when the file in the repository is not what they make.
public enum ConfigurationReference {
    public static var markdown: String {
        var lines = [
            "# mizan.yaml: every key",
            "",
            "Generated from the key declarations (`Sources/MizanConfiguration/ConfigurationKeys.swift`) by",
            "`mizand --configuration-reference`; edit those, not this file. `mizand --check-config --config FILE`",
            "reports every problem of a file at once, each with its line and key; unknown keys are refused.",
        ]
        var section: String?
        for key in ConfigurationKeys.all {
            if key.section != section {
                section = key.section
                lines += [
                    "", "## `\(key.section.isEmpty ? "(top level)" : key.section)`", "",
                    "| key | type | default | what it is |", "|---|---|---|---|",
                ]
            }
            let value = key.defaultValue.map { "`\($0)`" } ?? "required"
            lines.append("| `\(key.name)` | \(key.kind.rawValue) | \(value) | \(key.doc) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
