import Crypto
public import Foundation
import GRDB

/// The SHA-256 hash chain that makes a silent edit of history detectable.
public enum ChainHash {
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

    public static func hex(_ data: Data) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var characters: [UInt8] = []
        characters.reserveCapacity(data.count * 2)
        for byte in data {
            characters.append(digits[Int(byte >> 4)])
            characters.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: characters, as: UTF8.self)
    }
}

/// A deterministic byte encoding of one row: every column, in a fixed
/// order, type-tagged and length-prefixed, so that no two different rows
/// encode alike and the same row always encodes the same on every build.
enum CanonicalRow {
    static func encode(table: String, columns: [String], values: [DatabaseValue]) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(512)
        append(tag: UInt8(ascii: "T"), utf8: table.utf8, to: &bytes)
        for (column, value) in zip(columns, values) {
            append(tag: UInt8(ascii: "C"), utf8: column.utf8, to: &bytes)
            switch value.storage {
            case .null:
                bytes.append(UInt8(ascii: "N"))
                bytes.append(UInt8(ascii: ";"))
            case let .int64(integer):
                append(tag: UInt8(ascii: "I"), utf8: String(integer).utf8, to: &bytes)
            case let .double(double):
                append(tag: UInt8(ascii: "D"), utf8: String(double.bitPattern).utf8, to: &bytes)
            case let .string(string):
                append(tag: UInt8(ascii: "S"), utf8: string.utf8, to: &bytes)
            case let .blob(blob):
                append(tag: UInt8(ascii: "B"), utf8: ChainHash.hex(blob).utf8, to: &bytes)
            }
        }
        return Data(bytes)
    }

    /// `row` must hold exactly `columns`, selected in that order.
    static func encode(table: String, selectedRow row: Row, columns: [String]) -> Data {
        encode(table: table, columns: columns, values: Array(row.databaseValues))
    }

    private static func append(tag: UInt8, utf8: String.UTF8View, to bytes: inout [UInt8]) {
        bytes.append(tag)
        bytes.append(contentsOf: String(utf8.count).utf8)
        bytes.append(UInt8(ascii: ":"))
        bytes.append(contentsOf: utf8)
        bytes.append(UInt8(ascii: ";"))
    }
}

extension String {
    func leftPadded(_ width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}
