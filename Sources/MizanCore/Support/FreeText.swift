/// The rules for every name and free text a person types into the kiosk's
/// records (household names, cooperative names, reversal reasons): what is
/// stored, hashed and shown later must be exactly what was accepted, and
/// must not be able to reorder or hide what a technician's terminal or a
/// cooperative's page shows around it.
public enum FreeText {
    public struct Limits: Sendable, Equatable {
        /// In UTF-8 bytes, what the ledger stores.
        public let bytes: Int
        /// In grapheme clusters, what a person sees as characters.
        public let characters: Int
    }

    public static let name = Limits(bytes: 400, characters: 120)
    public static let reason = Limits(bytes: 2_000, characters: 500)

    /// Why `text` is refused as `what` (e.g. "the name"), or nil when it is
    /// acceptable.
    public static func problem(with text: String, as what: String, limits: Limits) -> String? {
        if text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) {
            return "\(what) is empty"
        }
        if text.utf8.count > limits.bytes {
            return "\(what) is longer than \(limits.bytes) bytes (\(text.utf8.count))"
        }
        if text.count > limits.characters {
            return "\(what) is longer than \(limits.characters) characters (\(text.count))"
        }
        if text.unicodeScalars.first?.properties.isWhitespace == true
            || text.unicodeScalars.last?.properties.isWhitespace == true
        {
            return "\(what) begins or ends with a space"
        }
        // A mark at the start joins whatever is shown before the text (a
        // quote, a column's border), changing it rather than the text.
        if let first = text.unicodeScalars.first, isCombiningMark(first) {
            return "\(what) begins with a combining mark (U+\(hex(first))); type the letter it belongs to first"
        }
        for (offset, scalar) in text.unicodeScalars.enumerated() {
            if let kind = forbiddenKind(scalar) {
                return
                    "\(what) holds \(kind) (U+\(hex(scalar)) at character \(offset + 1)); type the text again without it"
            }
        }
        return nil
    }

    /// What kind of forbidden character `scalar` is, or nil.
    static func forbiddenKind(_ scalar: Unicode.Scalar) -> String? {
        switch scalar.value {
        case 0x00: "a NUL byte"
        case 0x1B: "an escape sequence"
        case 0x01...0x1F, 0x7F: "a control character"
        case 0x80...0x9F: "a C1 control character"
        case 0x2028, 0x2029: "a line or paragraph separator"
        // Embeddings and overrides (U+202A–E) and isolates (U+2066–9):
        // the project isolates names itself where it shows them; one in
        // the text could reorder what surrounds it.
        case 0x202A...0x202E, 0x2066...0x2069: "a bidirectional control"
        case 0xFFF9...0xFFFB: "an interlinear annotation control"
        case 0xFEFF: "a byte-order mark"
        case 0xFFFD: "a replacement character (the text was not valid UTF-8)"
        default:
            switch scalar.properties.generalCategory {
            case .privateUse: "a private-use character"
            case .unassigned: "an unassigned code point"
            default: nil
            }
        }
    }

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }

    private static func hex(_ scalar: Unicode.Scalar) -> String {
        let digits = String(scalar.value, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
