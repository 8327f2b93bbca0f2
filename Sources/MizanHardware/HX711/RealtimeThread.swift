import CMizanSystem
import Glibc
import Synchronization
import MizanPOSIX

/// What the sampling thread got of the real-time setup it asked for. The
/// daemon logs it plainly: without SCHED_FIFO more HX711 reads are stretched
/// by preemption and discarded.
public struct RealtimeStatus: Hashable, Sendable, CustomStringConvertible {
    public let fifoPriority: Int32?
    /// errno of pthread_setschedparam, when it failed.
    public let schedulingErrno: Int32?
    /// errno of mlockall, when it failed.
    public let memoryLockErrno: Int32?

    public var description: String {
        var parts: [String] = []
        if let fifoPriority, schedulingErrno == nil {
            parts.append("SCHED_FIFO priority \(fifoPriority)")
        } else if let schedulingErrno {
            parts.append(
                "could not get SCHED_FIFO (\(String(cString: strerror(schedulingErrno)))): grant CAP_SYS_NICE or LimitRTPRIO; reads stretched by preemption will be discarded more often"
            )
        } else {
            parts.append("normal scheduling (no real-time priority asked)")
        }
        if let memoryLockErrno {
            parts.append(
                "could not lock memory (\(String(cString: strerror(memoryLockErrno)))): grant CAP_IPC_LOCK or LimitMEMLOCK=infinity"
            )
        } else {
            parts.append("memory locked")
        }
        return parts.joined(separator: "; ")
    }
}

/// A dedicated POSIX thread (not the Swift concurrency pool, whose threads
/// must never block) running `body`, optionally at SCHED_FIFO priority.
final class RealtimeThread: Sendable {
    private final class Context: Sendable {
        let priority: Int32?
        let body: @Sendable () -> Void
        let status = Guarded<RealtimeStatus?>(nil)

        init(priority: Int32?, body: @escaping @Sendable () -> Void) {
            self.priority = priority
            self.body = body
        }
    }

    private let thread: Guarded<pthread_t?>
    private let statusBox: Guarded<RealtimeStatus?>

    init() {
        thread = Guarded(nil)
        statusBox = Guarded(nil)
    }

    func start(priority: Int32?, body: @escaping @Sendable () -> Void) -> Bool {
        let owner = Context(priority: priority, body: body)
        let context = Unmanaged.passRetained(owner)
        var handle = pthread_t()
        let result = pthread_create(
            &handle, nil,
            { raw in
                guard let raw else { return nil }
                let context = Unmanaged<Context>.fromOpaque(raw).takeRetainedValue()
                // Named for top -H and the benchmark's per-thread figures.
                _ = mizan_set_thread_name("mizan-hx711")
                var schedulingErrno: Int32?
                if let priority = context.priority {
                    var parameters = sched_param(sched_priority: priority)
                    let code = pthread_setschedparam(pthread_self(), SCHED_FIFO, &parameters)
                    if code != 0 { schedulingErrno = code }
                }
                let memoryLockErrno: Int32? =
                    context.priority == nil ? nil : (mlockall(MCL_CURRENT | MCL_FUTURE) == 0 ? nil : errno)
                context.status.withLock {
                    $0 = RealtimeStatus(
                        fifoPriority: context.priority, schedulingErrno: schedulingErrno,
                        memoryLockErrno: memoryLockErrno)
                }
                context.body()
                return nil
            }, context.toOpaque())
        guard result == 0 else {
            context.release()
            return false
        }
        thread.withLock { $0 = handle }
        // The thread sets the status before it runs the body, always; wait
        // for it without a limit, since mlockall faults in every page the
        // process maps, which takes seconds on a loaded machine, and a
        // status missing from the log would hide what the kiosk got.
        while true {
            if let status = owner.status.withLock({ $0 }) {
                statusBox.withLock { $0 = status }
                break
            }
            usleep(1_000)
        }
        return true
    }

    var status: RealtimeStatus? { statusBox.withLock { $0 } }

    func join() {
        guard
            let handle = thread.withLock({ value -> pthread_t? in
                defer { value = nil }
                return value
            })
        else { return }
        pthread_join(handle, nil)
    }
}
