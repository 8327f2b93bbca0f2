/// Mettler Toledo Standard Interface Command Set, level 0, as far as a
/// kiosk needs it: the daemon polls with `SI` (weight now) and reads one
/// reply per command.
///
/// Replies: `S S      1.250 kg` stable, `S D      1.250 kg` dynamic
/// (unstable), `S I` busy (command not executable now), `S +` overload,
/// `S -` underload, and `ES` / `ET` / `EL` for syntax, transmission and
/// logical errors.
public struct MTSICSParser: Sendable {
    /// Ask for the current weight, stable or not.
    public static let weighImmediately: [UInt8] = Array("SI\r\n".utf8)
    /// Ask for the next stable weight.
    public static let weighStable: [UInt8] = Array("S\r\n".utf8)

    public enum Reply: Hashable, Sendable {
        case reading(IndicatorReading)
        /// The balance cannot answer now (e.g. it is taring).
        case busy
        case syntaxError
        case transmissionError
        case logicalError
    }

    private var lines = LineAssembler()
    public private(set) var repliesAccepted = 0
    public private(set) var repliesRejected = 0

    public init() {}

    public mutating func feed(_ byte: UInt8) -> Reply? {
        switch lines.feed(byte) {
        case nil:
            return nil
        case .discarded:
            repliesRejected += 1
            return nil
        case .line:
            guard let reply = Self.parse(lines.line) else {
                repliesRejected += 1
                return nil
            }
            repliesAccepted += 1
            return reply
        }
    }

    public mutating func feed(_ bytes: some Sequence<UInt8>) -> [Reply] {
        bytes.compactMap { feed($0) }
    }

    /// What one read brought, each reply handed to `handle` (see
    /// `ContinuousIndicatorParser.feed(_:handle:)`).
    public mutating func feed(_ bytes: ArraySlice<UInt8>, handle: (Reply) -> Void) {
        for byte in bytes {
            if let reply = feed(byte) { handle(reply) }
        }
    }

    static func parse(_ line: ArraySlice<UInt8>) -> Reply? {
        let fields = line.split(separator: 0x20, omittingEmptySubsequences: true)
        func field(_ index: Int, is text: StaticString) -> Bool {
            index < fields.count && fields[index].count == text.utf8CodeUnitCount
                && text.withUTF8Buffer { fields[index].elementsEqual($0) }
        }
        if field(0, is: "ES") { return fields.count == 1 ? .syntaxError : nil }
        if field(0, is: "ET") { return fields.count == 1 ? .transmissionError : nil }
        if field(0, is: "EL") { return fields.count == 1 ? .logicalError : nil }
        guard field(0, is: "S") || field(0, is: "SI"), fields.count >= 2 else { return nil }
        if field(1, is: "I") { return fields.count == 2 ? .busy : nil }
        if field(1, is: "+") { return fields.count == 2 ? .reading(.overload) : nil }
        if field(1, is: "-") { return fields.count == 2 ? .reading(.underload) : nil }
        guard field(1, is: "S") || field(1, is: "D"), fields.count == 4,
            let unit = DecimalMass.Unit(fields[3]),
            let milligrams = DecimalMass.milligrams(fields[2], unit: unit)
        else { return nil }
        return .reading(.weight(Milligrams(milligrams), indicatorStable: field(1, is: "S"), net: false))
    }
}
