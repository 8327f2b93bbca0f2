import Foundation

/// What the guest tells the host during one boot, one line each, appended
/// to `boot-N.log` on the results share (virtio-9p without a cache: a line
/// is in the host's file once the guest's write returned, so a power cut
/// after it cannot take it back).
public enum PowerCutMark: Equatable, Sendable {
    /// The guest is about to start mizand (start-up recovery follows).
    case starting
    /// mizand said it was ready, this long after it was started.
    case ready(milliseconds: Int64)
    /// The ledger was read after recovery: `check-N.json` is complete.
    case checked
    /// Drop number `drop` of the whole run, `grams` on the platform, is about
    /// to be placed in the plastic bin.
    case drop(Int, grams: Int64)
    /// The daemon credited drop `drop` as deposit `deposit` (its GREEN line).
    case acknowledged(Int, deposit: String, grams: Int64)
    /// A clean stop (SIGTERM: the daemon checkpoints the WAL) begins.
    case stopping
    /// The clean stop ended.
    case stopped

    public var line: String {
        switch self {
        case .starting: "starting"
        case .ready(let milliseconds): "ready \(milliseconds)"
        case .checked: "checked"
        case .drop(let drop, let grams): "drop \(drop) \(grams)"
        case .acknowledged(let drop, let deposit, let grams): "acked \(drop) \(deposit) \(grams)"
        case .stopping: "stopping"
        case .stopped: "stopped"
        }
    }

    public init?(line: String) {
        let parts = line.split(separator: " ").map(String.init)
        switch (parts.first, parts.count) {
        case ("starting", 1): self = .starting
        case ("ready", 2):
            guard let ms = Int64(parts[1]) else { return nil }
            self = .ready(milliseconds: ms)
        case ("checked", 1): self = .checked
        case ("drop", 3):
            guard let drop = Int(parts[1]), let grams = Int64(parts[2]) else { return nil }
            self = .drop(drop, grams: grams)
        case ("acked", 4):
            guard let drop = Int(parts[1]), let grams = Int64(parts[3]) else { return nil }
            self = .acknowledged(drop, deposit: parts[2], grams: grams)
        case ("stopping", 1): self = .stopping
        case ("stopped", 1): self = .stopped
        default: return nil
        }
    }

    /// Every complete line of a boot's log (a line cut by the power cut is
    /// not one).
    public static func read(_ text: String) -> [PowerCutMark] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if text.last != "\n" { lines.removeLast() }
        return lines.compactMap(PowerCutMark.init(line:))
    }
}

/// The ledger as the guest found it after a boot's recovery: what the host
/// compares with every acknowledgement heard before.
public struct PowerCutLedgerSnapshot: Codable, Sendable {
    public struct Deposit: Codable, Sendable, Equatable {
        public var id: String
        public var netGrams: Int64
        public var reason: String
    }

    public var boot: Int
    public var verified: Bool
    public var problems: [String]
    public var inService: Bool
    public var deposits: [Deposit]
}

/// Appends marks to a boot's log with one `write` each.
struct PowerCutLog {
    let descriptor: Int32

    init(path: String) throws {
        descriptor = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else {
            throw PowerCutFailure("opening \(path): \(String(cString: strerror(errno)))")
        }
    }

    func mark(_ mark: PowerCutMark) {
        let bytes = Array((mark.line + "\n").utf8)
        _ = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
    }
}

/// Why a power-cut run could not go on.
public struct PowerCutFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
