/// One parser under the fuzzer: what it is fed, the property it must keep
/// for every input, and the check. A check returns nil when the property
/// held, else what broke; a trap (an out-of-range index, an overflow) is a
/// failure by itself.
public struct FuzzTarget: Sendable {
    public let name: String
    public let property: String
    public let check: @Sendable ([UInt8]) -> String?

    public static let all: [FuzzTarget] = [
        ScaleParserTargets.continuousIndicator, ScaleParserTargets.mtSICS, CardReaderTargets.em4100,
        CardReaderTargets.wiegand, ControlRequestTarget.target, ConfigurationTarget.target, HouseholdCSVTarget.target,
        QueryTargets.dayRange, QueryTargets.typedAmount,
    ]

    public static func named(_ name: String) -> FuzzTarget? { all.first { $0.name == name } }
}

/// The split point an input chooses for itself: its first byte, so that
/// the fuzzer explores where a stream is cut as well as what it says.
func splitPoint(of bytes: [UInt8]) -> Int {
    guard let first = bytes.first, !bytes.isEmpty else { return 0 }
    return Int(first) % (bytes.count + 1)
}
