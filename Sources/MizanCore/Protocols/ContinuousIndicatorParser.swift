/// What a weighing indicator said in one line or reply.
public enum IndicatorReading: Hashable, Sendable {
    /// A weight, flagged stable or not by the indicator itself (the daemon
    /// applies its own stability rule on top).
    case weight(Milligrams, indicatorStable: Bool, net: Bool)
    case overload
    case underload
}

/// The continuous output of A&D/CAS-style indicators, a line every 50 to
/// 200 ms: `ST,GS,+0001.250kg` (stable, gross), `US,NT,-0000.020kg`
/// (unstable, net), `OL,GS,+9999.999kg` (overload). Cheap indicators pad
/// with spaces (`ST,GS,+  1.500kg`), omit the GS/NT field (`ST,+1.500kg`) or
/// vary the unit's case. Feed it bytes as they arrive, split anywhere.
public struct ContinuousIndicatorParser: Sendable {
    private var lines = LineAssembler()
    public private(set) var linesAccepted = 0
    /// Lines that were garbled, unknown or unparseable: counted, skipped,
    /// never turned into a weight.
    public private(set) var linesRejected = 0

    public init() {}

    public mutating func feed(_ byte: UInt8) -> IndicatorReading? {
        switch lines.feed(byte) {
        case nil:
            return nil
        case .discarded:
            linesRejected += 1
            return nil
        case .line:
            guard let reading = Self.parse(lines.line) else {
                linesRejected += 1
                return nil
            }
            linesAccepted += 1
            return reading
        }
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [IndicatorReading] {
        bytes.compactMap { feed($0) }
    }

    /// What one read brought, each reading handed to `handle`: one call a
    /// read (a parser kept in an object is then accessed once, not once a
    /// byte) and no array built.
    public mutating func feed(_ bytes: ArraySlice<UInt8>, handle: (IndicatorReading) -> Void) {
        for byte in bytes {
            if let reading = feed(byte) { handle(reading) }
        }
    }

    static func parse(_ line: ArraySlice<UInt8>) -> IndicatorReading? {
        // Two or three comma-separated fields, found in place: a line a
        // sample builds no array.
        let comma = UInt8(ascii: ",")
        guard let firstComma = line.firstIndex(of: comma) else { return nil }
        let header = line[..<firstComma].trimmingSpaces
        var weight = line[(firstComma + 1)...]
        var net = false
        if let secondComma = weight.firstIndex(of: comma) {
            let kind = weight[..<secondComma].trimmingSpaces
            weight = weight[(secondComma + 1)...]
            guard !weight.contains(comma) else { return nil }
            if kind.equalsIgnoringCase("NT") {
                net = true
            } else if !kind.equalsIgnoringCase("GS") {
                return nil
            }
        }
        guard let (number, unit) = splitUnit(weight) else { return nil }
        if header.equalsIgnoringCase("OL") { return .overload }
        let stable = header.equalsIgnoringCase("ST")
        guard stable || header.equalsIgnoringCase("US"),
            let milligrams = DecimalMass.milligrams(number, unit: unit)
        else { return nil }
        return .weight(Milligrams(milligrams), indicatorStable: stable, net: net)
    }

    /// "+0001.250kg" → ("+0001.250", kilograms); the unit may be separated
    /// by spaces and in any case.
    static func splitUnit(_ field: ArraySlice<UInt8>) -> (ArraySlice<UInt8>, DecimalMass.Unit)? {
        let trimmed = field.trimmingSpaces
        guard let unitStart = trimmed.firstIndex(where: { (0x41...0x5A).contains(ArraySlice<UInt8>.upper($0)) }),
            let unit = DecimalMass.Unit(trimmed[unitStart...].trimmingSpaces)
        else { return nil }
        return (trimmed[..<unitStart].trimmingSpaces, unit)
    }
}
