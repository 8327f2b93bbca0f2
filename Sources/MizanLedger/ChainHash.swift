import Crypto
import Foundation
import GRDB

/// The SHA-256 hash chain that makes a silent edit of history detectable.
enum ChainHash {
    /// The "previous hash" of the first link.
    static let genesis = Data(repeating: 0, count: 32)

    static func sha256(_ data: Data) -> Data {
        Data(SHA256.hash(data: data))
    }

    /// hash(n) = SHA-256(hash(n−1) ‖ header ‖ content hash)
    static func link(previous: Data, header: String, contentHash: Data) -> Data {
        var hasher = SHA256()
        hasher.update(data: previous)
        hasher.update(data: Data(header.utf8))
        hasher.update(data: contentHash)
        return Data(hasher.finalize())
    }

    static func hex(_ data: Data) -> String {
        data.map { String($0, radix: 16).leftPadded(2) }.joined()
    }
}

/// A deterministic byte encoding of one row: every column, in a fixed
/// order, type-tagged and length-prefixed, so that no two different rows
/// encode alike and the same row always encodes the same on every build.
enum CanonicalRow {
    static func encode(table: String, columns: [String], values: [DatabaseValue]) -> Data {
        var bytes = Data()
        append("T", table, to: &bytes)
        for (column, value) in zip(columns, values) {
            append("C", column, to: &bytes)
            switch value.storage {
            case .null:
                bytes.append(contentsOf: Array("N;".utf8))
            case let .int64(integer):
                append("I", String(integer), to: &bytes)
            case let .double(double):
                append("D", String(double.bitPattern), to: &bytes)
            case let .string(string):
                append("S", string, to: &bytes)
            case let .blob(blob):
                append("B", ChainHash.hex(blob), to: &bytes)
            }
        }
        return bytes
    }

    static func encode(table: String, row: Row, columns: [String]) -> Data {
        encode(table: table, columns: columns, values: columns.map { row[$0] as DatabaseValue })
    }

    private static func append(_ tag: String, _ text: String, to bytes: inout Data) {
        let utf8 = Array(text.utf8)
        bytes.append(contentsOf: Array("\(tag)\(utf8.count):".utf8))
        bytes.append(contentsOf: utf8)
        bytes.append(UInt8(ascii: ";"))
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
