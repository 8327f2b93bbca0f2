public import MizanPOSIX

/// A value shared between threads behind a mutex (`Guarded`), read and
/// replaced whole or updated in place.
public final class Locked<Value: Sendable>: Sendable {
    @usableFromInline let storage: Guarded<Value>

    public init(_ value: Value) {
        storage = Guarded(value)
    }

    @inlinable public var value: Value { storage.withLock { $0 } }

    @inlinable public func set(_ value: Value) {
        storage.withLock { $0 = value }
    }

    @discardableResult @inlinable
    public func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        storage.withLock { body(&$0) }
    }
}
