import Testing
@testable import MizanCore

@Suite("Serial scale protocols")
struct IndicatorProtocolTests {
    @Test(arguments: [
        ("ST,GS,+0001.250kg\r\n", IndicatorReading.weight(Milligrams(1_250_000), indicatorStable: true, net: false)),
        ("US,GS,+0001.250kg\r\n", .weight(Milligrams(1_250_000), indicatorStable: false, net: false)),
        ("ST,NT,-0000.020kg\r\n", .weight(Milligrams(-20_000), indicatorStable: true, net: true)),
        ("ST,GS,+  1.500kg\r\n", .weight(Milligrams(1_500_000), indicatorStable: true, net: false)),
        ("ST,+0001.500kg\n", .weight(Milligrams(1_500_000), indicatorStable: true, net: false)),
        ("st,gs,+0001.500KG\r", .weight(Milligrams(1_500_000), indicatorStable: true, net: false)),
        ("ST,GS,+01250.5 g\r\n", .weight(Milligrams(1_250_500), indicatorStable: true, net: false)),
        ("ST,GS,   +12.345678kg\r\n", .weight(Milligrams(12_345_678), indicatorStable: true, net: false)),
        ("OL,GS,+9999.999kg\r\n", .overload),
        ("OL,GS,+    .   kg\r\n", .overload),
    ])
    func continuousLinesParseExactly(line: String, expected: IndicatorReading) {
        var parser = ContinuousIndicatorParser()
        #expect(parser.feed(Array(line.utf8)) == [expected])
        #expect(parser.linesRejected == 0)
    }

    @Test(arguments: [
        "ST,GS,+0001.2500000kg",  // more decimals than a milligram
        "ST,GS,+00x1.250kg", "ST,GS,+0001.250lb", "ST,GS,0001.250", "XX,GS,+0001.250kg", "ST,QQ,+0001.250kg",
        "ST,GS,+kg", "ST,GS,+.kg", "ST,GS,+1.2.3kg", "ST,GS,+0001.250kg,extra", "ST", "", "ST,GS,--1kg",
        "ST,GS,+1234567890kg",
    ])
    func malformedLinesAreCountedAndNeverAWeight(_ line: String) {
        var parser = ContinuousIndicatorParser()
        let readings = parser.feed(Array((line + "\r\n").utf8))
        #expect(readings.isEmpty)
        #expect(parser.linesRejected == (line.isEmpty ? 0 : 1))
    }

    @Test func linesSplitAcrossReadsAndMixedTerminators() {
        let stream = Array("ST,GS,+0001.250kg\r\nUS,GS,+0001.260kg\nST,GS,+0001.270kg\rST,GS,+0001.280kg\r\n".utf8)
        for chunk in [1, 2, 3, 7, 13, stream.count] {
            var parser = ContinuousIndicatorParser()
            var readings: [IndicatorReading] = []
            var index = 0
            while index < stream.count {
                readings += parser.feed(stream[index..<min(stream.count, index + chunk)])
                index += chunk
            }
            #expect(readings.count == 4, "chunk \(chunk)")
            #expect(readings.last == .weight(Milligrams(1_280_000), indicatorStable: true, net: false))
        }
    }

    @Test func garbageAndOverlongLinesAreDiscardedWhole() {
        var parser = ContinuousIndicatorParser()
        let noise: [UInt8] = [0x00, 0xFF, 0x13] + Array("ST,GS,+0001.250kg".utf8)
        let long = Array(String(repeating: "9", count: 200).utf8)
        let readings = parser.feed(noise + [0x0D, 0x0A] + long + [0x0A] + Array("ST,GS,+0002.000kg\r\n".utf8))
        #expect(readings == [.weight(Milligrams(2_000_000), indicatorStable: true, net: false)])
        #expect(parser.linesRejected == 2)
    }

    @Test(arguments: [
        (
            "S S      1.250 kg",
            MTSICSParser.Reply.reading(.weight(Milligrams(1_250_000), indicatorStable: true, net: false))
        ),
        ("S D      1.250 kg", .reading(.weight(Milligrams(1_250_000), indicatorStable: false, net: false))),
        ("S S     -0.020 kg", .reading(.weight(Milligrams(-20_000), indicatorStable: true, net: false))),
        ("S S    1250.5 g", .reading(.weight(Milligrams(1_250_500), indicatorStable: true, net: false))),
        ("SI S      1.250 kg", .reading(.weight(Milligrams(1_250_000), indicatorStable: true, net: false))),
        ("S I", .busy),
        ("S +", .reading(.overload)),
        ("S -", .reading(.underload)),
        ("ES", .syntaxError),
        ("ET", .transmissionError),
        ("EL", .logicalError),
    ])
    func mtSICSRepliesParse(line: String, expected: MTSICSParser.Reply) {
        var parser = MTSICSParser()
        #expect(parser.feed(Array((line + "\r\n").utf8)) == [expected])
    }

    @Test(arguments: ["S X 1.0 kg", "S S 1.0", "S S abc kg", "S S 1.0 lb", "E", "S", "ESX", "S I extra"])
    func malformedMTSICSRepliesAreRejected(_ line: String) {
        var parser = MTSICSParser()
        #expect(parser.feed(Array((line + "\r\n").utf8)).isEmpty)
        #expect(parser.repliesRejected == 1)
    }

    @Test func mtSICSCommandsAreWhatTheBalanceExpects() {
        #expect(MTSICSParser.weighImmediately == Array("SI\r\n".utf8))
        #expect(MTSICSParser.weighStable == Array("S\r\n".utf8))
    }

    /// Arbitrary bytes between valid lines: nothing crashes, and exactly the
    /// valid lines come out.
    @Test(arguments: propertySeeds)
    func randomBytesNeverBecomeAWeight(seed: UInt64) {
        var random = SeededRandom(seed: seed)
        var continuous = ContinuousIndicatorParser()
        var sics = MTSICSParser()
        var expected: [IndicatorReading] = []
        var got: [IndicatorReading] = []
        var sicsGot: [MTSICSParser.Reply] = []
        for _ in 0..<200 {
            var garbage: [UInt8] = []
            for _ in 0..<random.int(in: 0...80) { garbage.append(UInt8(truncatingIfNeeded: random.next())) }
            // Garbage is always closed by a terminator, so the next valid line starts clean.
            garbage.append(0x0A)
            got += continuous.feed(garbage)
            sicsGot += sics.feed(garbage)
            let grams = random.int(in: -500...60_000)
            let line =
                "ST,GS,\(grams < 0 ? "-" : "+")\(abs(grams) / 1000).\(String(abs(grams) % 1000).leftPadded(to: 3))kg\r\n"
            expected.append(.weight(Milligrams(grams * 1000), indicatorStable: true, net: false))
            got += continuous.feed(Array(line.utf8))
        }
        #expect(got == expected, "seed \(seed)")
        #expect(sicsGot.isEmpty, "seed \(seed)")
    }
}

@Suite("Card reader protocols")
struct CardReaderProtocolTests {
    static let card = CardUID("0A1B2C3D4E")!

    @Test func anEM4100FrameDecodes() throws {
        let frame = try #require(EM4100FrameParser.frame(for: Self.card))
        // 0x0A ^ 0x1B ^ 0x2C ^ 0x3D ^ 0x4E = 0x4E… computed by the encoder; check the layout.
        #expect(frame.count == 14)
        #expect(frame.first == 0x02 && frame.last == 0x03)
        var parser = EM4100FrameParser()
        #expect(parser.feed(frame) == [Self.card])
        #expect(parser.framesAccepted == 1)
    }

    @Test func aRealRDM6300CaptureDecodes() {
        // Card 62E3086CED: checksum 62^E3^08^6C^ED = 08.
        var parser = EM4100FrameParser()
        let bytes: [UInt8] = [0x02] + Array("62E3086CED08".utf8) + [0x03]
        #expect(parser.feed(bytes) == [CardUID("62E3086CED")!])
    }

    @Test func aBadChecksumIsDroppedAndCounted() throws {
        var frame = try #require(EM4100FrameParser.frame(for: Self.card))
        frame[11] = frame[11] == 0x30 ? 0x31 : 0x30
        var parser = EM4100FrameParser()
        #expect(parser.feed(frame).isEmpty)
        #expect(parser.checksumErrors == 1)
    }

    @Test func theParserResynchronisesOnSTX() throws {
        let frame = try #require(EM4100FrameParser.frame(for: Self.card))
        var parser = EM4100FrameParser()
        // A frame cut short by noise, then a good one; garbage outside frames.
        let stream: [UInt8] = [0x41, 0x42] + frame.prefix(7) + frame + [0xFF, 0x03, 0x00] + frame
        #expect(parser.feed(stream) == [Self.card, Self.card])
        #expect(parser.framesRejected == 1)
    }

    @Test(arguments: propertySeeds)
    func randomBytesNeverBecomeACard(seed: UInt64) throws {
        var random = SeededRandom(seed: seed)
        var parser = EM4100FrameParser()
        let frame = try #require(EM4100FrameParser.frame(for: Self.card))
        var cards: [CardUID] = []
        var sent = 0
        for _ in 0..<200 {
            var garbage: [UInt8] = []
            for _ in 0..<random.int(in: 0...40) {
                let byte = UInt8(truncatingIfNeeded: random.next())
                garbage.append(byte == 0x02 ? 0x00 : byte)
            }
            cards += parser.feed(garbage)
            cards += parser.feed(frame)
            sent += 1
        }
        #expect(cards == Array(repeating: Self.card, count: sent), "seed \(seed)")
    }

    func pulses(
        _ lines: [WiegandDecoder.Line], start: Instant = .origin, spacing: Duration = .milliseconds(2)
    ) -> [(WiegandDecoder.Line, Instant)] {
        lines.enumerated().map { ($0.element, start + spacing * $0.offset) }
    }

    @Test(arguments: [(UInt64(0x12_3456), 24, "123456"), (0xDEAD_BEEF, 32, "DEADBEEF"), (0x00_0001, 24, "000001")])
    func wiegandFramesDecode(data: UInt64, bits: Int, hex: String) {
        var decoder = WiegandDecoder()
        for (line, time) in pulses(WiegandDecoder.frame(data: data, dataBits: bits)) {
            #expect(decoder.pulse(line, at: time) == nil)
        }
        let result = decoder.tick(at: .seconds(1))
        #expect(result == .success(CardUID(hex)!))
    }

    @Test func wiegandParityErrorsAreCaughtOnBothHalves() {
        for flipped in [1, 24] {
            var lines = WiegandDecoder.frame(data: 0x12_3456, dataBits: 24)
            lines[flipped] = lines[flipped] == .d0 ? .d1 : .d0
            var decoder = WiegandDecoder()
            for (line, time) in pulses(lines) { _ = decoder.pulse(line, at: time) }
            #expect(decoder.tick(at: .seconds(1)) == .failure(.parity), "bit \(flipped)")
        }
    }

    @Test func wiegandWrongLengthsAndNoiseAreRejected() {
        var decoder = WiegandDecoder()
        for (line, time) in pulses(Array(WiegandDecoder.frame(data: 0x12_3456, dataBits: 24).dropLast())) {
            _ = decoder.pulse(line, at: time)
        }
        #expect(decoder.tick(at: .seconds(1)) == .failure(.wrongLength))
        var noisy = WiegandDecoder()
        var events = pulses(WiegandDecoder.frame(data: 0x12_3456, dataBits: 24), start: .seconds(2))
        events.insert((.d1, events[5].1 + .microseconds(50)), at: 6)
        for (line, time) in events { _ = noisy.pulse(line, at: time) }
        #expect(noisy.tick(at: .seconds(3)) == .failure(.pulsesTooClose))
    }

    @Test func backToBackWiegandFramesAreSeparatedByTheGap() {
        var decoder = WiegandDecoder()
        var results: [Result<CardUID, WiegandDecoder.Failure>] = []
        for (line, time) in pulses(WiegandDecoder.frame(data: 0xAA_BBCC, dataBits: 24)) {
            if let result = decoder.pulse(line, at: time) { results.append(result) }
        }
        for (line, time) in pulses(WiegandDecoder.frame(data: 0x11_2233, dataBits: 24), start: .milliseconds(200)) {
            if let result = decoder.pulse(line, at: time) { results.append(result) }
        }
        if let result = decoder.tick(at: .seconds(1)) { results.append(result) }
        #expect(results == [.success(CardUID("AABBCC")!), .success(CardUID("112233")!)])
    }
}

@Suite("Debounce")
struct DebouncerTests {
    @Test func aBouncingReedSwitchGivesOneChangeDatedAtItsFirstEdge() {
        var debouncer = Debouncer(interval: .milliseconds(20), initialLevel: true)
        var changes: [Debouncer.Change] = []
        // The lid closes at 1.000 s and the contact bounces for 4 ms.
        let edges: [(Bool, Double)] = [(false, 1.000), (true, 1.001), (false, 1.0015), (true, 1.003), (false, 1.004)]
        for (level, seconds) in edges {
            if let change = debouncer.edge(to: level, at: .seconds(seconds)) { changes.append(change) }
        }
        if let change = debouncer.tick(at: .seconds(1.010)) { changes.append(change) }
        #expect(changes.isEmpty)
        if let change = debouncer.tick(at: .seconds(1.030)) { changes.append(change) }
        #expect(changes == [Debouncer.Change(level: false, at: .seconds(1.000))])
        #expect(debouncer.bounces == 2)
    }

    @Test func aGlitchShorterThanTheIntervalIsNoChange() {
        var debouncer = Debouncer(interval: .milliseconds(20), initialLevel: false)
        _ = debouncer.edge(to: true, at: .seconds(1))
        _ = debouncer.edge(to: false, at: .seconds(1.005))
        #expect(debouncer.tick(at: .seconds(2)) == nil)
        #expect(debouncer.stableLevel == false)
        // The next real change is dated from its own first edge.
        _ = debouncer.edge(to: true, at: .seconds(3))
        #expect(debouncer.tick(at: .seconds(3.1)) == Debouncer.Change(level: true, at: .seconds(3)))
    }

    @Test func aChangeIsReportedByTheNextEdgeWhenNoTickCame() {
        var debouncer = Debouncer(interval: .milliseconds(20), initialLevel: false)
        _ = debouncer.edge(to: true, at: .seconds(1))
        #expect(debouncer.edge(to: false, at: .seconds(5)) == Debouncer.Change(level: true, at: .seconds(1)))
        #expect(debouncer.tick(at: .seconds(5.1)) == Debouncer.Change(level: false, at: .seconds(5)))
    }
}
