import Foundation
import Glibc
import Testing
@testable import MizanCore
@testable import MizanHardware

@Suite("Scale and card reader drivers over real pseudo-terminals", .serialized)
struct DriverTests {
    func readings(_ events: [ScaleDriverEvent]) -> [IndicatorReading] {
        events.compactMap { if case let .reading(reading, _) = $0 { reading } else { nil } }
    }

    @Test func aContinuousIndicatorStreamsReadings() throws {
        let terminal = try PseudoTerminal()
        let scale = SerialScale(
            configuration: SerialScaleConfiguration(
                serial: SerialConfiguration(path: terminal.slavePath), dialect: .continuous))
        try scale.connect()
        terminal.send("ST,GS,+0001.250kg\r\nUS,GS,+0001.3")
        terminal.send("00kg\r\n\u{7}garbage\r\nOL,GS,+9999.999kg\r\n")
        var got: [IndicatorReading] = []
        for _ in 0..<20 where got.count < 3 { got += readings(scale.step(timeout: .milliseconds(50))) }
        #expect(
            got == [
                .weight(Milligrams(1_250_000), indicatorStable: true, net: false),
                .weight(Milligrams(1_300_000), indicatorStable: false, net: false),
                .overload,
            ])
        #expect(scale.rejected == 1)
    }

    @Test func anMTSICSBalanceIsPolledAndAnswers() throws {
        let terminal = try PseudoTerminal()
        let configuration = SerialScaleConfiguration(
            serial: SerialConfiguration(path: terminal.slavePath), dialect: .mtSICS(pollInterval: .milliseconds(100)))
        let scale = SerialScale(configuration: configuration)
        try scale.connect()
        var got: [ScaleDriverEvent] = []
        let replies = ["S S      1.250 kg\r\n", "S D      1.300 kg\r\n", "S I\r\n", "ES\r\n", "S +\r\n"]
        for reply in replies {
            // The driver polls every 100 ms: step until the balance is asked.
            var asked: [UInt8] = []
            for _ in 0..<50 where asked.isEmpty {
                got += scale.step(timeout: .milliseconds(10))
                asked = terminal.receive(timeout: .milliseconds(10))
            }
            #expect(asked == Array("SI\r\n".utf8))
            terminal.send(reply)
            for _ in 0..<20 {
                let events = scale.step(timeout: .milliseconds(20))
                got += events
                if !events.isEmpty { break }
            }
        }
        let summary = got.map { event -> String in
            switch event {
            case let .reading(reading, _): "\(reading)"
            case let .indicatorError(text, _): text
            default: "\(event)"
            }
        }
        #expect(
            summary == [
                "\(IndicatorReading.weight(Milligrams(1_250_000), indicatorStable: true, net: false))",
                "\(IndicatorReading.weight(Milligrams(1_300_000), indicatorStable: false, net: false))",
                "busy (S I)", "syntax error (ES)", "\(IndicatorReading.overload)",
            ])
        #expect(configuration.description.contains("MT-SICS"))
    }

    @Test func aPulledScaleCableIsReported() throws {
        let terminal = try PseudoTerminal()
        let scale = SerialScale(
            configuration: SerialScaleConfiguration(
                serial: SerialConfiguration(path: terminal.slavePath), dialect: .continuous))
        try scale.connect()
        terminal.closeMaster()
        var events: [ScaleDriverEvent] = []
        for _ in 0..<5 { events += scale.step(timeout: .milliseconds(20)) }
        #expect(events.contains { if case .disconnected = $0 { true } else { false } })
    }

    @Test func aCardLyingOnTheReaderIsOneTap() throws {
        let terminal = try PseudoTerminal()
        let clock = ManualClock()
        let reader = EM4100CardReader(
            serial: SerialConfiguration(path: terminal.slavePath), presenceGap: .milliseconds(500)
        ) { clock.now }
        try reader.connect()
        let card = CardUID("0A1B2C3D4E")!
        let frame = try #require(EM4100FrameParser.frame(for: card))
        var taps: [CardUID] = []
        // Three seconds on the reader, a frame every 100 ms, one of them
        // garbled at the edge of the field.
        for index in 0..<30 {
            clock.set(.milliseconds(Int64(index) * 100))
            var bytes = frame
            if index == 13 { bytes[5] ^= 0x01 }
            terminal.send(bytes)
            for event in reader.step(timeout: .milliseconds(50)) {
                if case let .tap(uid, _) = event { taps.append(uid) }
            }
        }
        #expect(taps == [card])
        #expect(reader.badChecksums == 1)
        // Taken away for a second and tapped again: a second tap.
        clock.set(.milliseconds(4_000))
        terminal.send(frame)
        for _ in 0..<5 {
            for event in reader.step(timeout: .milliseconds(50)) {
                if case let .tap(uid, _) = event { taps.append(uid) }
            }
        }
        #expect(taps == [card, card])
    }

    @Test func wiegandPulsesOnTwoLinesMakeATap() throws {
        let d0 = SimulatedInput(.name("WIEGAND_D0"))
        let d1 = SimulatedInput(.name("WIEGAND_D1"))
        let reader = WiegandCardReader(d0: d0, d1: d1)
        var time = Instant.seconds(10)
        for line in WiegandDecoder.frame(data: 0xC0_FFEE, dataBits: 24) {
            let input = line == .d0 ? d0 : d1
            input.drive(true, at: time)
            input.drive(false, at: time + .microseconds(50))
            time = time + .milliseconds(2)
        }
        #expect(try reader.step(timeout: .zero, now: time) == [])
        let events = try reader.step(timeout: .zero, now: time + .milliseconds(30))
        #expect(events == [.tap(CardUID("C0FFEE")!, at: time + .milliseconds(30))])
    }
}
