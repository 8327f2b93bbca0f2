import MizanCore

/// The card readers' inputs: EM4100 frames on a serial line, Wiegand
/// pulses on two GPIO lines.
enum CardReaderTargets {
    static let em4100 = FuzzTarget(
        name: "em4100",
        property: "no trap; the same cards however the stream is split; each card's own frame reads back as that card"
    ) { bytes in
        let fed = fedWholeAndSplit(EM4100FrameParser.init, bytes) { $0.feed($1) }
        if let difference = fed.difference { return difference }
        let cards = fed.outputs
        for card in cards {
            guard let frame = EM4100FrameParser.frame(for: card) else { return "card \(card) has no frame" }
            var fresh = EM4100FrameParser()
            let again = fresh.feed(frame)
            if again != [card] { return "card \(card)'s frame reads back as \(again)" }
        }
        return nil
    }

    /// Each byte is a pulse: its high bit the line (D1 or D0), the rest the
    /// gap since the previous pulse in steps of 250 µs (0 to 31.75 ms, across
    /// the 25 ms frame gap and under the 200 µs noise limit).
    static let wiegand = FuzzTarget(
        name: "wiegand",
        property: "no trap; each accepted card's Wiegand frame, sent cleanly, decodes to that card"
    ) { bytes in
        var decoder = WiegandDecoder()
        var time = Instant(nanoseconds: 1_000_000_000)
        var cards: [CardUID] = []
        for byte in bytes {
            time = time + .microseconds(250 * Int64(byte & 0x7F))
            if case .success(let card) = decoder.pulse(byte & 0x80 != 0 ? .d1 : .d0, at: time) { cards.append(card) }
        }
        if case .success(let card) = decoder.tick(at: time + .seconds(1)) { cards.append(card) }
        for card in cards {
            guard let data = UInt64(card.hex, radix: 16) else { return "card \(card) is not hex" }
            var clean = WiegandDecoder()
            var at = Instant(nanoseconds: 1_000_000_000)
            for line in WiegandDecoder.frame(data: data, dataBits: card.hex.count * 4) {
                at = at + .milliseconds(1)
                _ = clean.pulse(line, at: at)
            }
            let decoded = clean.tick(at: at + .seconds(1))
            guard case .success(card) = decoded else {
                return "card \(card)'s own frame decodes as \(String(describing: decoded))"
            }
        }
        return nil
    }
}
