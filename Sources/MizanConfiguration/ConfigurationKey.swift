/// One key of `mizan.yaml`, declared once: where it sits, what it takes,
/// its default and one line of doc. The loader reads each key by its
/// declaration (`section.integer(key)`), the scenario files' rule overrides
/// read the same declarations, and `docs/configuration.md` is generated from
/// them (`mizand --configuration-reference`), so a key cannot be renamed in
/// one place and not the others.
public struct ConfigurationKey: Sendable, Hashable {
    public enum Kind: String, Sendable {
        case integer
        case milliseconds = "integer (ms)"
        case text
        case boolean
        case line = "GPIO line (CHIP:OFFSET or name:LINE)"
        case path = "absolute path"
        case choice = "one of"
    }

    /// The section's path, e.g. `deposit`, `scale.serial`, `bins[]`.
    public let section: String
    public let name: String
    public let kind: Kind
    /// The default as written in the file; nil when the key is required.
    public let defaultValue: String?
    /// What it is, its bounds, when it applies.
    public let doc: String

    public init(_ section: String, _ name: String, _ kind: Kind, default defaultValue: String?, _ doc: String) {
        (self.section, self.name, self.kind, self.defaultValue, self.doc) = (section, name, kind, defaultValue, doc)
    }

    /// `deposit.minimum_e`, as problems name the key.
    public var path: String { section.isEmpty ? name : "\(section).\(name)" }
}
