public import MizanCore

/// How a LED or the buzzer behaves over time after a pattern starts.
public enum SignalPattern: Hashable, Sendable {
    case off
    case on
    /// On for `on`, off for `off`, repeating, for `total` (nil: forever).
    case blink(on: Duration, off: Duration, total: Duration?)
    /// `count` beeps of `on`, separated by `off`, then silence.
    case beeps(count: Int, on: Duration, off: Duration)
    /// On for `duration`, then off.
    case pulse(Duration)

    /// The level `elapsed` after the pattern started.
    public func level(after elapsed: Duration) -> Bool {
        switch self {
        case .off:
            return false
        case .on:
            return true
        case let .blink(on, off, total):
            if let total, elapsed >= total { return false }
            let period = (on + off).nanoseconds
            guard period > 0 else { return false }
            return elapsed.nanoseconds % period < on.nanoseconds
        case let .beeps(count, on, off):
            let period = (on + off).nanoseconds
            guard period > 0, elapsed.nanoseconds < period * Int64(count) else { return false }
            return elapsed.nanoseconds % period < on.nanoseconds
        case let .pulse(duration):
            return elapsed < duration
        }
    }

    /// When the pattern has nothing more to change (nil: never ends).
    public var duration: Duration? {
        switch self {
        case .off, .on: .zero
        case let .blink(_, _, total): total
        case let .beeps(count, on, off): (on + off) * count
        case let .pulse(duration): duration
        }
    }
}

/// What the kiosk shows for each piece of feedback: green LED, red LED,
/// buzzer. Households read these, many of them with little computer
/// experience: green steady with one short beep means credited; red with
/// two beeps means refused or rejected; red slow blinking means out of
/// service.
public struct FeedbackSignals: Hashable, Sendable {
    public let green: SignalPattern
    public let red: SignalPattern
    public let buzzer: SignalPattern

    public static func `for`(_ feedback: Feedback) -> FeedbackSignals {
        let short = Duration.milliseconds(120)
        let gap = Duration.milliseconds(120)
        switch feedback {
        case .sessionOpened:
            return FeedbackSignals(
                green: .blink(on: .milliseconds(500), off: .milliseconds(500), total: nil), red: .off,
                buzzer: .beeps(count: 1, on: short, off: gap))
        case .sessionClosed:
            return FeedbackSignals(green: .pulse(.seconds(1)), red: .off, buzzer: .beeps(count: 2, on: short, off: gap))
        case .credited:
            return FeedbackSignals(
                green: .pulse(.seconds(2)), red: .off, buzzer: .beeps(count: 1, on: .milliseconds(250), off: gap))
        case .donationRecorded:
            return FeedbackSignals(green: .pulse(.seconds(2)), red: .off, buzzer: .off)
        case .depositRejected, .tapRefused:
            return FeedbackSignals(
                green: .off, red: .pulse(.seconds(2)), buzzer: .beeps(count: 2, on: .milliseconds(300), off: gap))
        case .commitFailed:
            return FeedbackSignals(
                green: .off, red: .pulse(.seconds(3)), buzzer: .beeps(count: 3, on: .milliseconds(300), off: gap))
        case .outOfService:
            return FeedbackSignals(
                green: .off, red: .blink(on: .seconds(1), off: .seconds(1), total: nil),
                buzzer: .beeps(count: 3, on: short, off: gap))
        case .backInService:
            return FeedbackSignals(green: .pulse(.milliseconds(500)), red: .off, buzzer: .off)
        }
    }
}
