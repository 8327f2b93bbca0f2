#if canImport(Glibc)
    public import Glibc
#endif

/// A value behind a POSIX mutex: what the daemon's threads share.
///
/// Not `Synchronization.Mutex`: on Linux its lock is invisible to
/// ThreadSanitizer, which then reports every access behind it as a race and
/// hides the real ones; the suite runs under ThreadSanitizer (`make sanitize`). A
/// pthread mutex costs the same (a futex when uncontended is not even a
/// system call) and the sanitizer understands it.
public final class Guarded<Value: ~Copyable>: @unchecked Sendable {
    // Inlinable, with what it touches: the device threads take these locks
    // for every sample, and an unspecialised generic call costs more than
    // the lock itself.
    @usableFromInline let mutex: UnsafeMutablePointer<pthread_mutex_t>
    @usableFromInline var value: Value

    public init(_ value: consuming sending Value) {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        pthread_mutex_init(mutex, nil)
        self.value = value
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    @inlinable
    public func withLock<Result: ~Copyable, Failure: Error>(
        _ body: (inout sending Value) throws(Failure) -> sending Result
    ) throws(Failure) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
