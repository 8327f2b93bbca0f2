/// Collects bytes into lines for the text protocols of serial scales: any
/// of CR, LF or CR LF ends a line, empty lines are skipped, and a line that
/// grows past `maximumLength` or holds a non-printable byte is discarded
/// whole (and counted) instead of being cut into a plausible-looking weight.
struct LineAssembler: Sendable {
    let maximumLength: Int
    private var buffer: [UInt8] = []
    private var corrupt = false

    init(maximumLength: Int = 64) {
        self.maximumLength = maximumLength
        buffer.reserveCapacity(maximumLength)
    }

    enum Output: Equatable {
        case line(String)
        case discarded
    }

    mutating func feed(_ byte: UInt8) -> Output? {
        if byte == 0x0D || byte == 0x0A {
            defer {
                buffer.removeAll(keepingCapacity: true)
                corrupt = false
            }
            if corrupt { return .discarded }
            return buffer.isEmpty ? nil : .line(String(decoding: buffer, as: UTF8.self))
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
