import Foundation
import GRDB

/// One link of a kiosk's journal with the row it covers, as the kiosk
/// sends it to the hub: everything needed to check it again elsewhere —
/// the row's canonical encoding gives its content hash, the header and the
/// previous link's hash give its own. The ledger is its own outbox.
public struct JournalLinkExport: Codable, Sendable, Equatable {
    public var seq: Int64
    /// `session_opened`, `session_closed`, `deposit` or `entry`.
    public var kind: String
    public var subject: String
    public var recordedAtMs: Int64
    public var wallClockMs: Int64
    public var clockSynchronized: Bool
    public var clockAnomaly: Bool
    /// Hex SHA-256s.
    public var contentHash: String
    public var prevHash: String
    public var hash: String
    /// The covered row's columns, in the chain's order, and their values.
    public var columns: [String]
    public var values: [ExportValue]

    enum CodingKeys: String, CodingKey {
        case seq, kind, subject, recordedAtMs = "recorded_at_ms", wallClockMs = "wall_clock_ms"
        case clockSynchronized = "clock_synchronized", clockAnomaly = "clock_anomaly"
        case contentHash = "content_hash", prevHash = "prev_hash", hash, columns, values
    }

    /// A value of the covered row by column name.
    public func value(_ column: String) -> ExportValue? {
        columns.firstIndex(of: column).map { values[$0] }
    }

    /// The first link's previous hash.
    public static let genesis = ChainHash.hex(ChainHash.genesis)

    /// Why this link does not hold, or nil when it does: the row must hash
    /// to the content hash, the link to its hash, and it must follow
    /// `previous` (the hash of link seq − 1, `genesis` for the first).
    public func problem(following previous: String) -> String? {
        guard prevHash == previous else { return "does not follow link \(seq - 1) (its previous hash differs)" }
        guard let journalKind = Ledger.JournalKind(rawValue: kind) else { return "unknown kind \(kind)" }
        let (table, _, expectedColumns) = journalKind.subjectTable
        guard columns == expectedColumns, values.count == columns.count else {
            return "its \(table) row does not have the chain's columns"
        }
        let encoded = CanonicalRow.encode(table: table, columns: columns, values: values.map(\.databaseValue))
        guard ChainHash.hex(ChainHash.sha256(encoded)) == contentHash else {
            return "its \(table) row does not match its content hash (edited after it was recorded)"
        }
        let header = Ledger.journalHeader(
            seq: seq, kind: kind, subject: subject, recorded: recordedAtMs, wall: wallClockMs,
            synchronized: clockSynchronized, anomaly: clockAnomaly)
        guard
            let previousBytes = Data(hexadecimal: prevHash), let contentBytes = Data(hexadecimal: contentHash),
            ChainHash.hex(ChainHash.link(previous: previousBytes, header: header, contentHash: contentBytes)) == hash
        else { return "its hash does not match its header and content (the link was edited)" }
        return nil
    }
}

extension ExportValue {
    /// A stored value as exported: integers as integers; text, reals and
    /// blobs (hex) as text.
    init(_ value: DatabaseValue) {
        switch value.storage {
        case .null: self = .null
        case let .int64(integer): self = .integer(integer)
        case let .double(double): self = .text(String(double))
        case let .string(string): self = .text(string)
        case let .blob(data): self = .text(ChainHash.hex(data))
        }
    }

    var databaseValue: DatabaseValue {
        switch self {
        case .null: .null
        case let .integer(value): value.databaseValue
        case let .text(value): value.databaseValue
        }
    }
}

extension Data {
    /// Bytes from lower-case or upper-case hex; nil for anything else.
    init?(hexadecimal text: String) {
        guard text.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count / 2)
        var index = text.startIndex
        while index < text.endIndex {
            let next = text.index(index, offsetBy: 2)
            guard let byte = UInt8(text[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        self.init(bytes)
    }
}

extension Ledger {
    /// Up to `limit` journal links after `seq`, in order, each with its row.
    public func journalLinks(after seq: Int64, limit: Int) throws(LedgerError) -> [JournalLinkExport] {
        try read("reading journal links after \(seq)") { db in
            let links = try Row.fetchAll(
                db, sql: "SELECT * FROM journal WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [seq, limit])
            return try links.compactMap { link -> JournalLinkExport? in
                guard let kind = JournalKind(rawValue: link["kind"]) else { return nil }
                let (table, key, columns) = kind.subjectTable
                let subject: String = link["subject"]
                let keyValue: any DatabaseValueConvertible = kind == .entry ? (Int64(subject) ?? -1) : subject
                let row = try cachedRow(
                    db, "SELECT \(columns.joined(separator: ", ")) FROM \(table) WHERE \(key) = ?", [keyValue])
                let values = (row.map { Array($0.databaseValues) } ?? []).map(ExportValue.init)
                return JournalLinkExport(
                    seq: link["seq"], kind: kind.rawValue, subject: subject, recordedAtMs: link["recorded_at_ms"],
                    wallClockMs: link["wall_clock_ms"], clockSynchronized: link["clock_synchronized"],
                    clockAnomaly: link["clock_anomaly"], contentHash: ChainHash.hex(link["content_hash"]),
                    prevHash: ChainHash.hex(link["prev_hash"]), hash: ChainHash.hex(link["hash"]),
                    columns: row == nil ? [] : columns, values: values)
            }
        }
    }
}
