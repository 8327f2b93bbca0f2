/// Collects bytes into lines for the text protocols of serial scales: any
/// of CR, LF or CR LF ends a line, empty lines are skipped, and a line that
/// grows past `maximumLength` or holds a non-printable byte is discarded
/// whole (and counted) instead of being cut into a plausible-looking weight.
///
/// Works in place: after `.line`, `line` holds the bytes until the next
/// `feed`, so a line costs no allocation on the sampling path.
struct LineAssembler: Sendable {
    let maximumLength: Int
    private var buffer: [UInt8] = []
    private var corrupt = false
    private var complete = false

    init(maximumLength: Int = 64) {
        self.maximumLength = maximumLength
        buffer.reserveCapacity(maximumLength)
    }

    enum Output: Equatable {
        case line
        case discarded
    }

    /// The line just completed (valid until the next `feed`).
    var line: ArraySlice<UInt8> { buffer[...] }

    mutating func feed(_ byte: UInt8) -> Output? {
        if complete {
            buffer.removeAll(keepingCapacity: true)
            complete = false
        }
        if byte == 0x0D || byte == 0x0A {
            if corrupt {
                corrupt = false
                buffer.removeAll(keepingCapacity: true)
                return .discarded
            }
            guard !buffer.isEmpty else { return nil }
            complete = true
            return .line
        }
        guard !corrupt else { return nil }
        if byte < 0x20 || byte > 0x7E || buffer.count >= maximumLength {
            corrupt = true
            return nil
        }
        buffer.append(byte)
        return nil
    }
}

/// Byte-level helpers for the ASCII protocols.
extension ArraySlice<UInt8> {
    var trimmingSpaces: ArraySlice<UInt8> {
        var trimmed = self
        while trimmed.first == 0x20 { trimmed = trimmed.dropFirst() }
        while trimmed.last == 0x20 { trimmed = trimmed.dropLast() }
        return trimmed
    }

    /// Equal to `text` (ASCII) ignoring case.
    func equalsIgnoringCase(_ text: StaticString) -> Bool {
        guard count == text.utf8CodeUnitCount else { return false }
        return text.withUTF8Buffer { expected in
            zip(self, expected).allSatisfy { Self.upper($0) == Self.upper($1) }
        }
    }

    static func upper(_ byte: UInt8) -> UInt8 {
        (0x61...0x7A).contains(byte) ? byte - 0x20 : byte
    }
}
