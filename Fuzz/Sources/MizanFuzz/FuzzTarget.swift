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

/// Feeds `bytes` whole to one parser and in two pieces (cut where the input
/// chooses) to another, as a pty delivers a stream in any chunks: the whole
/// parser, what it read, and what differs when the pieces read otherwise.
func fedWholeAndSplit<Parser, Output: Equatable>(
    _ make: () -> Parser, _ bytes: [UInt8], feed: (inout Parser, ArraySlice<UInt8>) -> [Output]
) -> (whole: Parser, outputs: [Output], difference: String?) {
    var whole = make()
    let outputs = feed(&whole, bytes[...])
    var split = make()
    let cut = splitPoint(of: bytes)
    let pieces = feed(&split, bytes[..<cut]) + feed(&split, bytes[cut...])
    return (whole, outputs, outputs == pieces ? nil : "split at \(cut): \(pieces) instead of \(outputs)")
}
