import Glibc
import MizanCore

/// What a failing indicator, a cable picking up a motor's noise, or a reader
/// stuck mid-frame puts on a serial line: seeded noise, lines that never
/// end, frames that never close, at full speed.
enum SerialFlood {
    /// Sends `bytes` in 4 KiB pieces as fast as the line takes them (the pty
    /// drops what its buffer cannot hold, as a UART overruns).
    static func pour(_ bytes: [UInt8], into device: PseudoTerminalDevice) -> Int {
        var sent = 0
        while sent < bytes.count {
            let piece = Array(bytes[sent..<min(bytes.count, sent + 4_096)])
            device.send(piece)
            sent += piece.count
            usleep(1_000)
        }
        return sent
    }

    /// Random bytes (NULs, CRs, LFs and indicator-like text among them).
    static func noise(bytes count: Int, seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        let alphabet = Array("ST,GS,US,NT,OL+-0123456789.kg \r\n\u{0}\u{2}\u{3}".utf8)
        return (0..<count).map { index in
            index % 3 == 0
                ? UInt8(truncatingIfNeeded: random.next()) : alphabet[Int(random.next() % UInt64(alphabet.count))]
        }
    }

    /// One line of `count` bytes with no end.
    static func endlessLine(bytes count: Int) -> [UInt8] {
        Array("ST,GS,+".utf8) + [UInt8](repeating: UInt8(ascii: "1"), count: count)
    }

    /// EM4100 frames opened and never closed, and frames with bad checksums.
    static func brokenFrames(count: Int) -> [UInt8] {
        let neverClosed: [UInt8] = [0x02] + Array("C0FFEE00".utf8)
        let badChecksum: [UInt8] = [0x02] + Array("C0FFEE004200".utf8) + [0x03]
        var bytes: [UInt8] = []
        for index in 0..<count { bytes += index % 2 == 0 ? neverClosed : badChecksum }
        return bytes
    }
}
