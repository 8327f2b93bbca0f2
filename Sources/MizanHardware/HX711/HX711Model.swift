import Glibc
import MizanCore

/// A line-level model of the HX711: it answers clock pulses with data bits,
/// powers down when PD_SCK stays high over 60 µs (DOUT then reads high: a
/// read stretched by preemption gets trailing ones), and needs its settling
/// time after power-up or a gain change. On virtual time for the driver's
/// tests; in real time (CLOCK_MONOTONIC) behind the simulator's GPIO
/// backend, where each conversion is the code the simulator last sent.
public final class HX711Model: HX711Lines {
    /// The codes the next conversions deliver (24-bit two's complement);
    /// the last one repeats.
    public var codes: [Int32]
    /// Samples per second: 10 or 80 (the RATE pin).
    public let samplesPerSecond: Int
    /// Virtual time, nanoseconds.
    public private(set) var time: Int64 = 0
    /// Each GPIO operation takes this long (a libgpiod ioctl on a Pi: ~1–5 µs).
    public var operationNanoseconds: Int64 = 2_000
    /// Scheduled preemption: the next clock-high phase is stretched by this.
    public var stretchNextHighBy: Int64 = 0
    /// When false, the chip stops converting once `codes` are used up
    /// (DOUT stays high), so a test knows exactly what was produced.
    public var repeatsLastCode = true

    private var clockHigh = false
    private var clockRoseAt: Int64 = 0
    private var poweredDown = false
    private var nextReadyAt: Int64
    private var shifting: UInt32 = 0
    private var pulses = 0
    private var converting = false
    private var codeIndex = 0
    private var currentGainPulses = 1
    public private(set) var powerDowns = 0
    /// Gain pulses seen at the end of the last read.
    public private(set) var lastGainPulses = 0

    /// Real time: the monotonic clock in nanoseconds, and where each
    /// conversion's code comes from.
    private let realClock: (() -> Int64)?
    private let codeSource: (@Sendable () -> Int32)?

    public init(codes: [Int32], samplesPerSecond: Int = 80) {
        self.codes = codes
        self.samplesPerSecond = samplesPerSecond
        realClock = nil
        codeSource = nil
        nextReadyAt = Self.settling(samplesPerSecond)
    }

    /// The chip in real time, converting whatever `code` says at each conversion.
    public init(realTimeSamplesPerSecond samplesPerSecond: Int, code: @escaping @Sendable () -> Int32) {
        codes = [0]
        self.samplesPerSecond = samplesPerSecond
        let clock = { MonotonicClock.now().nanoseconds }
        realClock = clock
        codeSource = code
        time = clock()
        nextReadyAt = time + Self.settling(samplesPerSecond)
    }

    /// Time passes by `nanoseconds` (virtual), or is read (real).
    private func advance(_ nanoseconds: Int64) {
        if let realClock { time = realClock() } else { time += nanoseconds }
    }

    static func settling(_ rate: Int) -> Int64 {
        rate == 10 ? 400_000_000 : 50_000_000
    }

    var period: Int64 { 1_000_000_000 / Int64(samplesPerSecond) }

    public func now() -> Int64 {
        advance(operationNanoseconds / 4)
        return time
    }

    public func pause(nanoseconds: Int64) {
        if realClock != nil {
            var request = timespec(tv_sec: Int(nanoseconds / 1_000_000_000), tv_nsec: Int(nanoseconds % 1_000_000_000))
            var remaining = timespec()
            while nanosleep(&request, &remaining) != 0, errno == EINTR { request = remaining }
        }
        advance(nanoseconds)
        checkPowerDown()
    }

    /// DOUT falls at the next conversion: the model sleeps (real time) or
    /// moves (virtual time) straight to it, as a kernel edge would wake the
    /// reader then; a chip powered down or out of codes only times out.
    public func waitForDataReady(timeoutNanoseconds: Int64) -> Bool {
        let deadline = now() + timeoutNanoseconds
        while readData() {
            guard time < deadline else { return false }
            let exhausted = codeSource == nil && !repeatsLastCode && codeIndex >= codes.count
            let fallsAt = poweredDown || converting || exhausted || nextReadyAt <= time ? deadline : nextReadyAt
            pause(nanoseconds: max(1_000, min(fallsAt, deadline) - time))
        }
        return true
    }

    public func setClock(_ high: Bool) {
        advance(operationNanoseconds)
        if high, !clockHigh {
            clockHigh = true
            clockRoseAt = time
            time += stretchNextHighBy
            stretchNextHighBy = 0
            checkPowerDown()
            guard !poweredDown else { return }
            let exhausted = codeSource == nil && !repeatsLastCode && codeIndex >= codes.count
            if converting || (pulses == 0 && time >= nextReadyAt && !exhausted) {
                if !converting {
                    converting = true
                    let code = codeSource?() ?? codes[min(codeIndex, codes.count - 1)]
                    shifting = UInt32(bitPattern: code) & 0xFF_FFFF
                    codeIndex += 1
                }
                pulses += 1
            }
        } else if !high, clockHigh {
            checkPowerDown()
            clockHigh = false
            if poweredDown {
                // Waking up: a new settling period starts.
                poweredDown = false
                converting = false
                pulses = 0
                nextReadyAt = time + Self.settling(samplesPerSecond)
            } else if converting, pulses > 24 {
                // Pulses 25–27 select the next gain; the conversion ends
                // when no further pulse comes (decided at the next ready).
                lastGainPulses = pulses - 24
            }
        }
    }

    public func readData() -> Bool {
        advance(operationNanoseconds)
        checkPowerDown()
        if poweredDown { return true }
        if converting {
            if pulses >= 1 && pulses <= 24 {
                return (shifting >> UInt32(24 - pulses)) & 1 == 1
            }
            if pulses > 24 {
                // After the last pulse DOUT goes high until the next conversion.
                finishConversionIfIdle()
                return true
            }
        }
        return time < nextReadyAt || (codeSource == nil && !repeatsLastCode && codeIndex >= codes.count)
    }

    private func finishConversionIfIdle() {
        guard !clockHigh else { return }
        if currentGainPulses != pulses - 24 {
            // A gain change needs the settling time again.
            currentGainPulses = pulses - 24
            nextReadyAt = time + Self.settling(samplesPerSecond)
        } else {
            nextReadyAt = time + period
        }
        converting = false
        pulses = 0
    }

    private func checkPowerDown() {
        if clockHigh, !poweredDown, time - clockRoseAt > 60_000 {
            poweredDown = true
            powerDowns += 1
        }
    }
}
