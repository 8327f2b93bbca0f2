import Synchronization

/// A value shared between threads behind a mutex: `Mutex` itself cannot be
/// copied, so state that several threads hold goes in one of these.
public final class Locked<Value: Sendable>: Sendable {
    private let storage: Mutex<Value>

    public init(_ value: Value) {
        storage = Mutex(value)
    }

    public var value: Value { storage.withLock { $0 } }

    public func set(_ value: Value) {
        storage.withLock { $0 = value }
    }

    @discardableResult
    public func update<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        storage.withLock { body(&$0) }
    }
}
