import Glibc
import MizanCore
import MizanHardware

/// Kernel lines that failed (their chip gone, ENODEV): the fault is raised
/// once, the lines are asked for again at most once a second, and the
/// fault is cleared when they come back. One per device thread.
struct LineRecovery {
    let fault: KioskFault
    let queue: InputQueue
    private(set) var lost = false
    private var lastAttempt = Instant.origin

    init(fault: KioskFault, queue: InputQueue) {
        self.fault = fault
        self.queue = queue
    }

    /// The lines failed or could not be had; says so to the kiosk loop once.
    mutating func lose() {
        lastAttempt = MonotonicClock.now()
        guard !lost else { return }
        lost = true
        queue.push(.fault(fault, raised: true, at: lastAttempt))
    }

    /// Whether to ask for the lines again now; waits a little when not, so
    /// that the thread does not spin while they are away.
    mutating func attemptDue() -> Bool {
        guard MonotonicClock.now() - lastAttempt >= .seconds(1) else {
            usleep(50_000)
            return false
        }
        lastAttempt = MonotonicClock.now()
        return true
    }

    /// The lines are back: the fault clears.
    mutating func recovered() {
        guard lost else { return }
        lost = false
        queue.push(.fault(fault, raised: false, at: MonotonicClock.now()))
    }
}
