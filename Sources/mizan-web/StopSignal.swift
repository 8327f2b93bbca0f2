import Dispatch
import Glibc

/// SIGTERM (systemd) or SIGINT (Ctrl-C): the process stops cleanly.
enum StopSignal {
    static func wait() {
        let stop = DispatchSemaphore(value: 0)
        var sources: [any DispatchSourceSignal] = []
        for number in [SIGTERM, SIGINT] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { stop.signal() }
            source.resume()
            sources.append(source)
        }
        stop.wait()
        withExtendedLifetime(sources) {}
    }
}
