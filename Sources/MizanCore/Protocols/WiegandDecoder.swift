/// Decodes Wiegand 26 and 34 from the pulses on its two lines: a pulse on
/// D0 is a 0, on D1 a 1, every 0.5 to 2 ms; a frame ends after a silence.
/// Both parity bits are checked: the first is even parity over the first
/// half of the data, the last odd parity over the second half.
public struct WiegandDecoder: Sendable {
    public enum Line: Sendable {
        case d0
        case d1
    }

    public enum Failure: String, Error, Hashable, Sendable {
        case wrongLength = "wrong_length"
        case parity
        /// Two pulses closer than any reader sends them: electrical noise.
        case pulsesTooClose = "pulses_too_close"
    }

    /// Silence after which the frame is complete.
    public let frameGap: Duration
    /// Pulses closer than this are noise.
    public let minimumBitInterval: Duration
    private var bits: UInt64 = 0
    private var count = 0
    private var lastPulse: Instant?
    private var noisy = false
    public private(set) var framesAccepted = 0
    public private(set) var failures: [Failure: Int] = [:]

    public init(frameGap: Duration = .milliseconds(25), minimumBitInterval: Duration = .microseconds(200)) {
        self.frameGap = frameGap
        self.minimumBitInterval = minimumBitInterval
    }

    /// A falling edge (pulse start) on one line, with its kernel timestamp.
    /// Returns a card if the pulse began a new frame after the previous one
    /// completed without a `tick` in between.
    public mutating func pulse(_ line: Line, at time: Instant) -> Result<CardUID, Failure>? {
        var finished: Result<CardUID, Failure>?
        if let lastPulse, time - lastPulse >= frameGap {
            finished = finish()
        }
        if let lastPulse, time - lastPulse < minimumBitInterval, count > 0 {
            noisy = true
        }
        if count < 64 {
            bits = bits << 1 | (line == .d1 ? 1 : 0)
        }
        count += 1
        lastPulse = time
        return finished
    }

    /// When the frame being received ends if no pulse comes meanwhile: the
    /// reader's thread sleeps until then, not in steps.
    public var frameEndsAt: Instant? {
        guard let lastPulse, count > 0 else { return nil }
        return lastPulse + frameGap
    }

    /// Completes a frame once the lines have been quiet for `frameGap`.
    public mutating func tick(at time: Instant) -> Result<CardUID, Failure>? {
        guard let lastPulse, count > 0, time - lastPulse >= frameGap else { return nil }
        return finish()
    }

    private mutating func finish() -> Result<CardUID, Failure> {
        defer {
            bits = 0
            count = 0
            noisy = false
            lastPulse = nil
        }
        let result = Self.decode(bits: bits, count: count, noisy: noisy)
        switch result {
        case .success: framesAccepted += 1
        case let .failure(failure): failures[failure, default: 0] += 1
        }
        return result
    }

    static func decode(bits: UInt64, count: Int, noisy: Bool) -> Result<CardUID, Failure> {
        guard !noisy else { return .failure(.pulsesTooClose) }
        guard count == 26 || count == 34 else { return .failure(.wrongLength) }
        let dataBits = count - 2
        let half = dataBits / 2
        let data = (bits >> 1) & ((1 << UInt64(dataBits)) - 1)
        let firstHalf = data >> UInt64(half)
        let secondHalf = data & ((1 << UInt64(half)) - 1)
        let leadingParity = (bits >> UInt64(count - 1)) & 1
        let trailingParity = bits & 1
        let evenOK = (UInt64(firstHalf.nonzeroBitCount) + leadingParity) % 2 == 0
        let oddOK = (UInt64(secondHalf.nonzeroBitCount) + trailingParity) % 2 == 1
        guard evenOK, oddOK else { return .failure(.parity) }
        let digits = dataBits / 4
        var hex = String(data, radix: 16, uppercase: true)
        while hex.count < digits { hex = "0" + hex }
        guard let card = CardUID(hex) else { return .failure(.wrongLength) }
        return .success(card)
    }

    /// The bits a reader sends for `data` (24 or 32 bits), parity included,
    /// first bit first (for the simulator and tests).
    public static func frame(data: UInt64, dataBits: Int) -> [Line] {
        let half = dataBits / 2
        let firstHalf = data >> UInt64(half)
        let secondHalf = data & ((1 << UInt64(half)) - 1)
        let leading: UInt64 = firstHalf.nonzeroBitCount % 2 == 0 ? 0 : 1
        let trailing: UInt64 = secondHalf.nonzeroBitCount % 2 == 0 ? 1 : 0
        let all = leading << UInt64(dataBits + 1) | data << 1 | trailing
        return (0..<(dataBits + 2)).reversed().map { (all >> UInt64($0)) & 1 == 1 ? .d1 : .d0 }
    }
}
