import ArgumentParser
import Foundation
import MizanCore
import MizanLedger

struct EventsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "events",
        abstract: "The kiosk's history of faults and audited changes, oldest first.",
        discussion: """
            Kinds: fault (out of service and back), calibration, configuration, price, household, reversal, clock, action.
            For what the daemon is doing right now, see: mizanctl watch --events
            Examples:
              mizanctl events --since 2026-11-20
              mizanctl events --kind fault --kind action --last 20
              mizanctl events --kind reversal --json
            """
    )

    @OptionGroup var ledger: LedgerOptions
    @Option(help: "Only these kinds (repeatable).") var kind: [String] = []
    @Option(help: "From this moment: \(TimeArgument.help).") var since: String?
    @Option(help: "Before this moment: \(TimeArgument.help).") var until: String?
    @Option(help: "Only the last N events.") var last: Int?
    @Flag(help: "Print as JSON (schema mizan.events.v1).") var json = false

    static let kinds = ["fault"] + AuditKind.allCases.map(\.rawValue)

    struct Event: Encodable {
        let time: String
        let recordedAtMs: Int64
        let kind: String
        let actor: String
        let summary: String
        let before: String?
        let after: String?
        let clockSynchronized: Bool

        enum CodingKeys: String, CodingKey {
            case time, recordedAtMs = "recorded_at_ms", kind, actor, summary, before, after, clockSynchronized =
                "clock_synchronized"
        }
    }

    struct Output: Encodable {
        let schema = "mizan.events.v1"
        let events: [Event]
    }

    func validate() throws {
        for name in kind where !Self.kinds.contains(name) {
            throw ValidationError("unknown kind \"\(name)\"; known: \(Self.kinds.joined(separator: ", "))")
        }
        if let last, last < 1 { throw ValidationError("--last must be at least 1") }
    }

    func run() throws {
        let ledger = try ledger.openForReading()
        let now = Operator.clock.wall
        func moment(_ text: String?, _ option: String) throws -> Int64? {
            guard let text else { return nil }
            guard let time = TimeArgument.parse(text, calendar: ledger.calendar, now: now) else {
                throw CommandFailure("\(option) \"\(text)\": expected \(TimeArgument.help)")
            }
            return time.millisecondsSinceEpoch
        }
        let from = try moment(since, "--since") ?? .min
        let to = try moment(until, "--until") ?? .max
        let wanted = Set(kind.isEmpty ? Self.kinds : kind)
        var events: [Event] = []
        if wanted.contains("fault") {
            for record in try ledgerCall({ () throws(LedgerError) in try ledger.faultLog(since: from, until: to) }) {
                events.append(
                    Event(
                        time: WallClockTime(millisecondsSinceEpoch: record.recordedAt).iso8601,
                        recordedAtMs: record.recordedAt,
                        kind: "fault", actor: "mizand",
                        summary: "\(record.fault) \(record.raised ? "raised: out of service" : "cleared")",
                        before: nil, after: nil, clockSynchronized: record.clockSynchronized
                    ))
            }
        }
        for record in try ledgerCall({ () throws(LedgerError) in try ledger.auditLog() })
        where wanted.contains(record.kind.rawValue) && record.recordedAt >= from && record.recordedAt < to {
            events.append(
                Event(
                    time: WallClockTime(millisecondsSinceEpoch: record.recordedAt).iso8601,
                    recordedAtMs: record.recordedAt,
                    kind: record.kind.rawValue, actor: record.actor, summary: record.summary,
                    before: record.before, after: record.after, clockSynchronized: record.clockSynchronized
                ))
        }
        // Stable: by time, faults before audit entries made in the same millisecond.
        events = events.enumerated().sorted {
            ($0.element.recordedAtMs, $0.offset) < ($1.element.recordedAtMs, $1.offset)
        }.map(\.element)
        if let last { events = Array(events.suffix(last)) }
        if json { return try printJSON(Output(events: events)) }
        if events.isEmpty {
            print("no events\(kind.isEmpty ? "" : " of kind \(kind.joined(separator: ", "))") in that time")
            return
        }
        for event in events {
            let clock = event.clockSynchronized ? "" : " (clock not synchronised)"
            print(
                "\(event.time)  \(event.kind.padding(toLength: 13, withPad: " ", startingAt: 0)) \(event.actor): \(Bidi.isolate(event.summary))\(clock)"
            )
        }
    }
}
