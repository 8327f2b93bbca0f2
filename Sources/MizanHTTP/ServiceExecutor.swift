import Dispatch

/// Where the service's tasks run: Dispatch threads of its own rather than
/// Swift concurrency's shared pool, whose few threads (one per core) a
/// process may be keeping busy with blocking work — a request must not
/// wait for them, and the pool's users must not wait for requests.
final class ServiceExecutor: TaskExecutor {
    private let queue = DispatchQueue(label: "mizan-http", attributes: .concurrent)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}
