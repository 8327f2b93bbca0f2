/// Frames of an RDM6300-family 125 kHz EM4100 reader (9600 8N1):
/// STX (0x02), 10 ASCII hex digits (version byte + 32-bit card number),
/// 2 ASCII hex digits of checksum (XOR of the five data bytes), ETX (0x03).
/// An STX always starts a new frame, so the parser resynchronises on its
/// own after noise; a frame with a bad checksum or a non-hex digit is
/// dropped and counted.
public struct EM4100FrameParser: Sendable {
    private var buffer: [UInt8] = []
    private var inFrame = false
    public private(set) var framesAccepted = 0
    public private(set) var framesRejected = 0
    /// Frames whose checksum did not match (cards at the edge of the field).
    public private(set) var checksumErrors = 0

    public init() {
        buffer.reserveCapacity(12)
    }

    public mutating func feed(_ byte: UInt8) -> CardUID? {
        switch byte {
        case 0x02:
            if inFrame, !buffer.isEmpty { framesRejected += 1 }
            inFrame = true
            buffer.removeAll(keepingCapacity: true)
            return nil
        case 0x03:
            guard inFrame else { return nil }
            inFrame = false
            defer { buffer.removeAll(keepingCapacity: true) }
            return decode()
        default:
            guard inFrame else { return nil }
            if buffer.count == 12 {
                // Too long to be a frame: wait for the next STX.
                inFrame = false
                framesRejected += 1
                buffer.removeAll(keepingCapacity: true)
                return nil
            }
            buffer.append(byte)
            return nil
        }
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [CardUID] {
        bytes.compactMap { feed($0) }
    }

    private mutating func decode() -> CardUID? {
        guard buffer.count == 12 else {
            framesRejected += 1
            return nil
        }
        var values: [UInt8] = []
        values.reserveCapacity(6)
        var index = 0
        while index < 12 {
            guard let high = Self.hexValue(buffer[index]), let low = Self.hexValue(buffer[index + 1]) else {
                framesRejected += 1
                return nil
            }
            values.append(high << 4 | low)
            index += 2
        }
        let checksum = values[0..<5].reduce(0, ^)
        guard checksum == values[5] else {
            framesRejected += 1
            checksumErrors += 1
            return nil
        }
        framesAccepted += 1
        return CardUID(String(decoding: buffer[0..<10], as: UTF8.self))
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: byte - 0x30
        case 0x41...0x46: byte - 0x41 + 10
        case 0x61...0x66: byte - 0x61 + 10
        default: nil
        }
    }

    /// The frame a reader sends for `card` (for the simulator and tests).
    public static func frame(for card: CardUID) -> [UInt8]? {
        guard card.hex.count == 10 else { return nil }
        let digits = Array(card.hex.utf8)
        var checksum: UInt8 = 0
        var index = 0
        while index < 10 {
            guard let high = hexValue(digits[index]), let low = hexValue(digits[index + 1]) else { return nil }
            checksum ^= high << 4 | low
            index += 2
        }
        let hex = Array("0123456789ABCDEF".utf8)
        return [0x02] + digits + [hex[Int(checksum >> 4)], hex[Int(checksum & 0x0F)], 0x03]
    }
}
