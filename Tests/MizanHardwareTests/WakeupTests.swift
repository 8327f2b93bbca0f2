import Foundation
import Glibc
import Testing
@testable import MizanCore
@testable import MizanHardware

/// The device threads sleep on their lines until something happens: these
/// check that the wait wakes for an edge on any of several lines, sleeps
/// through when nothing comes, and that the debounce and Wiegand deadlines
/// say when a decision falls due.
@Suite("Waking only when a line moves")
struct WakeupTests {
    @Test func aWaitOnSeveralLinesWakesForAnEdgeOnAnyOfThem() throws {
        let lids = (0..<3).map { SimulatedInput(.name("LID_\($0)"), level: true) }
        #expect(try !waitForEdges(on: lids, timeout: .milliseconds(30)))
        lids[2].drive(false, at: .seconds(1))
        let clock = ContinuousClock()
        let started = clock.now
        #expect(try waitForEdges(on: lids, timeout: .seconds(10)))
        // Woken by the edge, not by the timeout.
        #expect(clock.now - started < .seconds(5))
        #expect(try lids[2].edges(timeout: .zero) == [GPIOEdge(rising: false, at: .seconds(1))])
        // Read: the line is quiet again.
        #expect(try !waitForEdges(on: lids, timeout: .milliseconds(10)))
    }

    @Test func anEdgeDrivenFromAnotherThreadWakesTheWait() throws {
        let line = SimulatedInput(.name("LID_PAPER"), level: true)
        let driver = Thread {
            usleep(50_000)
            line.drive(false, at: .seconds(2))
        }
        driver.start()
        #expect(try waitForEdges(on: [line], timeout: .seconds(10)))
        #expect(try line.edges(timeout: .zero).count == 1)
    }

    @Test func aLostLineWakesTheWaitAndThenFails() throws {
        let line = SimulatedInput(.name("LID_GLASS"), level: true)
        line.lose()
        #expect(try waitForEdges(on: [line], timeout: .seconds(10)))
        #expect(throws: GPIOError.self) { try line.edges(timeout: .zero) }
    }

    @Test func theDebouncerSaysWhenABurstSettles() {
        var debouncer = Debouncer(interval: .milliseconds(20), initialLevel: true)
        #expect(debouncer.settlesAt == nil)
        _ = debouncer.edge(to: false, at: .seconds(1))
        _ = debouncer.edge(to: true, at: .seconds(1.004))
        _ = debouncer.edge(to: false, at: .seconds(1.006))
        // 20 ms after the last edge, not the first.
        #expect(debouncer.settlesAt == .seconds(1.026))
        #expect(debouncer.tick(at: .seconds(1.025)) == nil)
        #expect(debouncer.tick(at: .seconds(1.026)) == Debouncer.Change(level: false, at: .seconds(1)))
        #expect(debouncer.settlesAt == nil)
    }

    @Test func aWiegandFrameInProgressSaysWhenItEnds() {
        var decoder = WiegandDecoder()
        #expect(decoder.frameEndsAt == nil)
        _ = decoder.pulse(.d1, at: .seconds(3))
        #expect(decoder.frameEndsAt == Instant.seconds(3) + decoder.frameGap)
    }

    @Test func aWiegandReaderDecodesAFrameThatEndedWhileItSlept() throws {
        let d0 = SimulatedInput(.name("WIEGAND_D0"))
        let d1 = SimulatedInput(.name("WIEGAND_D1"))
        let reader = WiegandCardReader(d0: d0, d1: d1)
        let start = MonotonicClock.now()
        for (index, pulse) in WiegandDecoder.frame(data: 0xC0_FFEE, dataBits: 24).enumerated() {
            let line = pulse == .d0 ? d0 : d1
            let at = start + .microseconds(2_000 * index)
            line.drive(true, at: at)
            line.drive(false, at: at + .microseconds(50))
        }
        var taps: [CardUID] = []
        // Asleep until the frame's gap passed, then decided (a few steps at
        // most: the pulses are already queued, dated in the past).
        for _ in 0..<50 where taps.isEmpty {
            for case let .tap(card, _) in try reader.step(timeout: .milliseconds(100), now: MonotonicClock.now()) {
                taps.append(card)
            }
        }
        #expect(taps == [CardUID("C0FFEE")!])
    }
}
