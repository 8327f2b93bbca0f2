/// Thrown when integer arithmetic on masses or money would overflow.
///
/// Credit and totals are computed in `Int64`; an overflow would silently
/// wrap or trap, so every operation that could overflow reports it instead.
public struct ArithmeticOverflow: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was being computed, e.g. "credit for 1250 g at 300 per kg".
    public let operation: String

    public init(_ operation: String) {
        self.operation = operation
    }

    public var description: String { "arithmetic overflow while computing \(operation)" }
}

extension Int64 {
    @inlinable
    func checkedAdding(_ other: Int64, _ operation: @autoclosure () -> String) throws(ArithmeticOverflow) -> Int64 {
        let (result, overflow) = addingReportingOverflow(other)
        if overflow { throw ArithmeticOverflow(operation()) }
        return result
    }

    @inlinable
    func checkedSubtracting(_ other: Int64, _ operation: @autoclosure () -> String) throws(ArithmeticOverflow) -> Int64
    {
        let (result, overflow) = subtractingReportingOverflow(other)
        if overflow { throw ArithmeticOverflow(operation()) }
        return result
    }

    @inlinable
    func checkedMultiplying(_ other: Int64, _ operation: @autoclosure () -> String) throws(ArithmeticOverflow) -> Int64
    {
        let (result, overflow) = multipliedReportingOverflow(by: other)
        if overflow { throw ArithmeticOverflow(operation()) }
        return result
    }
}
