import Foundation
public import MizanCore

/// A timestamped record of device input: what the scale reported, the lid
/// switches' raw edges (bounces included) and the card frames the reader
/// decoded. One JSON object per line, in time order:
///
///     {"t_us":12500,"scale_mg":1234}
///     {"t_us":1500000,"lid":"plastic","open":true}
///     {"t_us":2000000,"card":"0A1B2C3D4E"}
///
/// `t_us` is microseconds since the start of the trace.
public struct TraceEvent: Codable, Hashable, Sendable {
    public let microseconds: Int64
    public var scaleMilligrams: Int64?
    public var lid: String?
    public var open: Bool?
    public var card: String?
    /// The wall clock jumped by this many milliseconds (NTP, a board
    /// without RTC booting in the past).
    public var wallJumpMilliseconds: Int64?
    /// The daemon was killed here and started again.
    public var restart: Bool?
    /// A technician began (true) or ended (false) service mode.
    public var service: Bool?

    enum CodingKeys: String, CodingKey {
        case microseconds = "t_us", scaleMilligrams = "scale_mg", lid, open, card
        case wallJumpMilliseconds = "wall_jump_ms", restart, service
    }

    public static func scale(_ milligrams: Int64, at time: Instant) -> TraceEvent {
        TraceEvent(microseconds: time.nanoseconds / 1000, scaleMilligrams: milligrams)
    }

    public static func lid(_ bin: BinID, open: Bool, at time: Instant) -> TraceEvent {
        TraceEvent(microseconds: time.nanoseconds / 1000, lid: bin.rawValue, open: open)
    }

    public static func card(_ card: CardUID, at time: Instant) -> TraceEvent {
        TraceEvent(microseconds: time.nanoseconds / 1000, card: card.hex)
    }

    public static func wallJump(_ milliseconds: Int64, at time: Instant) -> TraceEvent {
        TraceEvent(microseconds: time.nanoseconds / 1000, wallJumpMilliseconds: milliseconds)
    }

    public static func service(_ begin: Bool, at time: Instant) -> TraceEvent {
        TraceEvent(microseconds: time.nanoseconds / 1000, service: begin)
    }

    public static func restart(at time: Instant) -> TraceEvent {
        TraceEvent(microseconds: time.nanoseconds / 1000, restart: true)
    }

    public var time: Instant { Instant(nanoseconds: microseconds * 1000) }
}

public enum Trace {
    public struct FormatError: Error, CustomStringConvertible {
        public let line: Int
        public let message: String
        public var description: String { "trace line \(line): \(message)" }
    }

    public static func encode(_ events: [TraceEvent]) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return events.map { String(decoding: (try? encoder.encode($0)) ?? Data(), as: UTF8.self) }.joined(
            separator: "\n") + "\n"
    }

    /// Parses a trace; every line must be one event, in time order.
    public static func decode(_ text: String) throws(FormatError) -> [TraceEvent] {
        let decoder = JSONDecoder()
        var events: [TraceEvent] = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        where !line.isEmpty {
            guard let event = try? decoder.decode(TraceEvent.self, from: Data(line.utf8)) else {
                throw FormatError(line: index + 1, message: "not a trace event: \(line.prefix(80))")
            }
            let kinds = [
                event.scaleMilligrams != nil, event.lid != nil, event.card != nil,
                event.wallJumpMilliseconds != nil, event.restart != nil, event.service != nil,
            ].filter { $0 }.count
            guard kinds == 1, event.lid == nil || event.open != nil else {
                throw FormatError(
                    line: index + 1,
                    message: "an event is exactly one of scale_mg, lid+open, card, wall_jump_ms, restart or service")
            }
            if let last = events.last, event.microseconds < last.microseconds {
                throw FormatError(
                    line: index + 1,
                    message: "time goes backwards (\(event.microseconds) µs after \(last.microseconds) µs)")
            }
            events.append(event)
        }
        return events
    }
}
