import Foundation
public import Yams

/// A problem in a YAML file, named by file, line and key:
/// `scenario.yaml:12: timeline[3].deposit.grams: must be a whole number of grams, got "1.5kg"`.
public struct YAMLError: Error, Hashable, Sendable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let key: String
    public let message: String

    public init(file: String, line: Int?, key: String, message: String) {
        self.file = file
        self.line = line
        self.key = key
        self.message = message
    }

    public var description: String {
        "\(file)\(line.map { ":\($0)" } ?? ""): \(key.isEmpty ? "" : "\(key): ")\(message)"
    }
}

/// One YAML mapping read strictly: every value is checked for its type, and
/// `finish()` refuses any key nobody asked for, so a misspelt key is an
/// error instead of a silently ignored setting.
public final class StrictMapping {
    public let file: String
    public let path: String
    public let line: Int?
    private var entries: [(key: String, value: Node)] = []
    private var read = Set<String>()

    public init(_ node: Node, file: String, path: String) throws(YAMLError) {
        self.file = file
        self.path = path
        line = node.mark.map { $0.line }
        guard case let .mapping(mapping) = node else {
            throw YAMLError(file: file, line: line, key: path, message: "must be a mapping of keys to values")
        }
        for (key, value) in mapping {
            guard let name = key.string else {
                throw YAMLError(file: file, line: key.mark?.line, key: path, message: "keys must be text")
            }
            entries.append((name, value))
        }
    }

    /// Parses a whole document, which must be a mapping.
    public static func document(_ text: String, file: String) throws(YAMLError) -> StrictMapping {
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw YAMLError(file: file, line: nil, key: "", message: "not valid YAML: \(error)")
        }
        guard let node else { throw YAMLError(file: file, line: nil, key: "", message: "the file is empty") }
        return try StrictMapping(node, file: file, path: "")
    }

    public var keys: [String] { entries.map(\.key) }

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    public func node(_ name: String) -> Node? {
        read.insert(name)
        return entries.first { $0.key == name }?.value
    }

    public func error(_ name: String, _ message: String) -> YAMLError {
        YAMLError(file: file, line: entries.first { $0.key == name }?.value.mark?.line ?? line, key: key(name), message: message)
    }

    public func string(_ name: String) throws(YAMLError) -> String? {
        guard let node = node(name) else { return nil }
        guard case let .scalar(scalar) = node else { throw error(name, "must be text") }
        return scalar.string
    }

    public func requiredString(_ name: String) throws(YAMLError) -> String {
        guard let value = try string(name) else { throw error(name, "is required") }
        return value
    }

    public func integer(_ name: String) throws(YAMLError) -> Int64? {
        guard let text = try string(name) else { return nil }
        guard let value = Int64(text.replacingOccurrences(of: "_", with: "")) else {
            throw error(name, "must be a whole number, got \"\(text)\"")
        }
        return value
    }

    public func bool(_ name: String) throws(YAMLError) -> Bool? {
        guard let text = try string(name) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw error(name, "must be true or false, got \"\(text)\"")
        }
    }

    /// A whole number of milliseconds, for keys named `…_ms`.
    public func milliseconds(_ name: String) throws(YAMLError) -> Duration? {
        guard let value = try integer(name) else { return nil }
        return .milliseconds(value)
    }

    /// "2s", "1.5s", "500ms", "-3600s", "2min".
    public func duration(_ name: String) throws(YAMLError) -> Duration? {
        guard let text = try string(name) else { return nil }
        guard let value = Self.parseDuration(text) else {
            throw error(name, "must be a duration such as 500ms, 2s or 1min, got \"\(text)\"")
        }
        return value
    }

    public static func parseDuration(_ text: String) -> Duration? {
        let units: [(String, Double)] = [("ms", 1e-3), ("min", 60), ("s", 1), ("h", 3600)]
        for (suffix, scale) in units where text.hasSuffix(suffix) {
            guard let number = Double(text.dropLast(suffix.count)), number.isFinite else { return nil }
            return .nanoseconds(Int64((number * scale * 1e9).rounded()))
        }
        return nil
    }

    public func mapping(_ name: String) throws(YAMLError) -> StrictMapping? {
        guard let node = node(name) else { return nil }
        return try StrictMapping(node, file: file, path: key(name))
    }

    public func sequence(_ name: String) throws(YAMLError) -> [Node]? {
        guard let node = node(name) else { return nil }
        guard case let .sequence(sequence) = node else { throw error(name, "must be a list") }
        return Array(sequence)
    }

    /// Refuses keys that were never read.
    public func finish() throws(YAMLError) {
        for (name, value) in entries where !read.contains(name) {
            throw YAMLError(file: file, line: value.mark?.line, key: key(name), message: "unknown key")
        }
    }
}
