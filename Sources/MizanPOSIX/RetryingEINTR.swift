public import Glibc

/// Calls `body` again while it fails with EINTR: a signal (SIGHUP's reload,
/// the debugger, the watchdog's timer) interrupted a call that should simply
/// go on. A result ≥ 0, or a failure with any other errno, is returned.
/// Inlinable: it wraps every poll and read of the sampling path, where an
/// unspecialised generic comparison costs more than the system call's setup.
@inlinable
public func retryingEINTR<Result: BinaryInteger>(_ body: () -> Result) -> Result {
    while true {
        let result = body()
        if result >= 0 || errno != EINTR { return result }
    }
}
