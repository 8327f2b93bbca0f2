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
    /// Where problems go when the whole file is checked at once; nil: the
    /// first problem is thrown.
    public let collector: YAMLProblems?
    private var entries: [(key: String, value: Node)] = []
    private var read = Set<String>()

    public init(_ node: Node, file: String, path: String, collector: YAMLProblems? = nil) throws(YAMLError) {
        self.file = file
        self.path = path
        self.collector = collector
        line = node.mark.map { $0.line }
        guard case let .mapping(mapping) = node else {
            throw YAMLError(file: file, line: line, key: path, message: "must be a mapping of keys to values")
        }
        var seen: [String: Int?] = [:]
        for (key, value) in mapping {
            guard let name = key.string else {
                try fail(YAMLError(file: file, line: key.mark?.line, key: path, message: "keys must be text"))
                continue
            }
            if let first = seen[name] {
                let lines = [first, key.mark?.line].compactMap { $0 }.map(String.init).joined(separator: " and ")
                try fail(
                    YAMLError(
                        file: file, line: key.mark?.line, key: self.key(name),
                        message: "appears twice, on lines \(lines)"))
                continue
            }
            seen[name] = key.mark?.line
            entries.append((name, value))
        }
    }

    /// The largest configuration or scenario file read, in bytes.
    public static let maximumBytes = 256 * 1024
    /// The deepest nesting of mappings and lists accepted.
    public static let maximumDepth = 32

    /// Parses a whole document, which must be a mapping. Its size and
    /// nesting are checked before the parser sees it (a deep enough file
    /// overflows the parser's stack). With a `collector`, problems below
    /// the top are gathered there instead of thrown.
    public static func document(
        _ text: String, file: String, collector: YAMLProblems? = nil
    ) throws(YAMLError) -> StrictMapping {
        if text.utf8.count > maximumBytes {
            throw YAMLError(
                file: file, line: nil, key: "",
                message: "the file is larger than \(maximumBytes / 1024) KiB (\(text.utf8.count) bytes)")
        }
        if let (line, depth) = NestingScan.firstTooDeep(text, limit: maximumDepth) {
            throw YAMLError(
                file: file, line: line, key: "",
                message: "nested deeper than \(maximumDepth) levels (at least \(depth) here)")
        }
        let node: Node?
        do {
            node = try Yams.compose(yaml: text)
        } catch {
            throw YAMLError(file: file, line: nil, key: "", message: "not valid YAML: \(error)")
        }
        guard let node else { throw YAMLError(file: file, line: nil, key: "", message: "the file is empty") }
        return try StrictMapping(node, file: file, path: "", collector: collector)
    }

    /// Records `error` when collecting, else throws it.
    public func fail(_ error: YAMLError) throws(YAMLError) {
        guard let collector else { throw error }
        collector.add(error)
    }

    public var keys: [String] { entries.map(\.key) }

    func key(_ name: String) -> String { path.isEmpty ? name : "\(path).\(name)" }

    public func node(_ name: String) -> Node? {
        read.insert(name)
        return entries.first { $0.key == name }?.value
    }

    public func error(_ name: String, _ message: String) -> YAMLError {
        YAMLError(
            file: file, line: entries.first { $0.key == name }?.value.mark?.line ?? line, key: key(name),
            message: message)
    }

    public func string(_ name: String) throws(YAMLError) -> String? {
        guard let node = node(name) else { return nil }
        guard case let .scalar(scalar) = node else {
            try fail(error(name, "must be text"))
            return nil
        }
        return scalar.string
    }

    /// When collecting, a missing value is recorded and "" returned: the
    /// caller goes on to find the file's other problems.
    public func requiredString(_ name: String) throws(YAMLError) -> String {
        guard let value = try string(name) else {
            if entries.contains(where: { $0.key == name }) { return "" }
            try fail(error(name, "is required"))
            return ""
        }
        return value
    }

    public func integer(_ name: String) throws(YAMLError) -> Int64? {
        guard let text = try string(name) else { return nil }
        guard let value = Int64(text.replacingOccurrences(of: "_", with: "")) else {
            try fail(error(name, "must be a whole number, got \"\(text)\""))
            return nil
        }
        return value
    }

    public func bool(_ name: String) throws(YAMLError) -> Bool? {
        guard let text = try string(name) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            try fail(error(name, "must be true or false, got \"\(text)\""))
            return nil
        }
    }

    /// Milliseconds beyond which no setting makes sense (a year): larger
    /// values are refused as written, before any arithmetic on them.
    public static let maximumMilliseconds: Int64 = 366 * 86_400_000

    /// A whole number of milliseconds, for keys named `…_ms`.
    public func milliseconds(_ name: String) throws(YAMLError) -> Duration? {
        guard let text = try string(name) else { return nil }
        guard let value = Int64(text.replacingOccurrences(of: "_", with: "")) else {
            try fail(error(name, "must be a whole number of milliseconds, got \"\(text)\""))
            return nil
        }
        guard (-Self.maximumMilliseconds...Self.maximumMilliseconds).contains(value) else {
            try fail(error(name, "is out of range (at most a year, \(Self.maximumMilliseconds) ms), got \(text)"))
            return nil
        }
        return .milliseconds(value)
    }

    /// "2s", "1.5s", "500ms", "-3600s", "2min".
    public func duration(_ name: String) throws(YAMLError) -> Duration? {
        guard let text = try string(name) else { return nil }
        guard let value = Self.parseDuration(text) else {
            try fail(error(name, "must be a duration such as 500ms, 2s or 1min, got \"\(text)\""))
            return nil
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
        guard case .mapping = node else {
            try fail(error(name, "must be a mapping of keys to values"))
            return nil
        }
        return try StrictMapping(node, file: file, path: key(name), collector: collector)
    }

    /// An entry of a list as a mapping, sharing this mapping's collector.
    public func entry(_ node: Node, path: String) throws(YAMLError) -> StrictMapping? {
        guard case .mapping = node else {
            try fail(
                YAMLError(file: file, line: node.mark?.line, key: path, message: "must be a mapping of keys to values"))
            return nil
        }
        return try StrictMapping(node, file: file, path: path, collector: collector)
    }

    public func sequence(_ name: String) throws(YAMLError) -> [Node]? {
        guard let node = node(name) else { return nil }
        guard case let .sequence(sequence) = node else {
            try fail(error(name, "must be a list"))
            return nil
        }
        return Array(sequence)
    }

    /// Refuses keys that were never read.
    public func finish() throws(YAMLError) {
        for (name, value) in entries where !read.contains(name) {
            try fail(YAMLError(file: file, line: value.mark?.line, key: key(name), message: "unknown key"))
        }
    }
}

/// The problems of one file, gathered so that all are reported at once.
public final class YAMLProblems {
    public private(set) var all: [YAMLError] = []

    public init() {}

    public func add(_ error: YAMLError) {
        if !all.contains(error) { all.append(error) }
    }

    /// Runs `body`; a problem it throws is recorded and nil returned.
    public func collect<T>(_ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let error as YAMLError {
            add(error)
        } catch {
            add(YAMLError(file: "", line: nil, key: "", message: "\(error)"))
        }
        return nil
    }
}

/// How deep a YAML text nests, found by reading it as text: flow brackets
/// outside quotes and comments, plus block indentation and the `- `, `? `
/// indicators that open a level on one line. An over-estimate, never
/// under: enough to refuse what would overflow the parser.
enum NestingScan {
    static func firstTooDeep(_ text: String, limit: Int) -> (line: Int, depth: Int)? {
        var flow = 0
        var lineNumber = 0
        for rawLine in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let line = rawLine.utf8
            var indent = 0
            var index = line.startIndex
            while index != line.endIndex, line[index] == UInt8(ascii: " ") {
                indent += 1
                index = line.index(after: index)
            }
            var indicators = 0
            var quote: UInt8?
            var previous: UInt8 = UInt8(ascii: " ")
            var atStart = true
            while index != line.endIndex {
                let byte = line[index]
                let next = line.index(after: index)
                let following = next == line.endIndex ? UInt8(ascii: " ") : line[next]
                if let open = quote {
                    if byte == open { quote = nil }
                } else if byte == UInt8(ascii: "#"), previous == UInt8(ascii: " ") {
                    break
                } else if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                } else if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{") {
                    flow += 1
                } else if byte == UInt8(ascii: "]") || byte == UInt8(ascii: "}") {
                    flow = max(0, flow - 1)
                } else if atStart, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "?"),
                    following == UInt8(ascii: " ")
                {
                    indicators += 1
                } else if byte != UInt8(ascii: " ") {
                    atStart = false
                }
                previous = byte
                index = next
                if flow > limit { return (lineNumber, flow) }
            }
            // Each level of a block takes at least one more column.
            let depth = flow + min(indent, indent / 2 + 1) + indicators
            if depth > limit { return (lineNumber, depth) }
        }
        return nil
    }
}
