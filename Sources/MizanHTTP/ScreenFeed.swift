import Foundation
public import MizanControl
import MizanCore
public import MizanScreen
import Synchronization
import MizanPOSIX

/// Keeps the household screen's state from the daemon: one thread follows
/// its `events` stream (each event at once), another applies its status
/// (from the web process's `StatusFollower`) four times a second and lets
/// passing states expire. Every change goes to each subscribed page, and
/// a heartbeat every 5 s, so a page can tell a quiet kiosk from a dead feed.
public final class ScreenFeed: Sendable {
    public enum Update: Sendable {
        case view(ScreenView)
        case heartbeat
    }

    /// More pages than this at once are refused (the kiosk's browser is
    /// one; a technician's laptop on the board another).
    public static let maximumSubscribers = 8

    private let socketPath: String
    private let follower: StatusFollower
    private let screen: Guarded<HouseholdScreen>
    private let subscribers = Guarded<(next: Int, all: [Int: AsyncStream<Update>.Continuation])>((0, [:]))
    private let running = Atomic<Bool>(true)

    public init(socketPath: String, follower: StatusFollower, screen: HouseholdScreen) {
        self.socketPath = socketPath
        self.follower = follower
        self.screen = Guarded(screen)
    }

    /// What the screen shows now: every page's snapshot on (re)connect.
    public var view: ScreenView { screen.withLock { $0.view } }

    public func start() {
        let events = Thread { [self] in followEvents() }
        events.name = "mizan-screen-events"
        events.start()
        let status = Thread { [self] in applyStatus() }
        status.name = "mizan-screen-status"
        status.start()
    }

    public func stop() {
        running.store(false, ordering: .relaxed)
        subscribers.withLock { state in
            for continuation in state.all.values { continuation.finish() }
            state.all = [:]
        }
    }

    /// The views to come, starting with the current one; nil when too many pages follow already.
    public func subscribe() -> AsyncStream<Update>? {
        let (stream, continuation) = AsyncStream.makeStream(of: Update.self, bufferingPolicy: .bufferingNewest(4))
        let id: Int? = subscribers.withLock { state in
            guard state.all.count < Self.maximumSubscribers else { return nil }
            state.next += 1
            state.all[state.next] = continuation
            return state.next
        }
        guard let id else { return nil }
        continuation.onTermination = { [weak self] _ in
            _ = self?.subscribers.withLock { $0.all.removeValue(forKey: id) }
        }
        continuation.yield(.view(view))
        return stream
    }

    public var subscriberCount: Int { subscribers.withLock { $0.all.count } }

    private func change(_ body: (inout HouseholdScreen) -> Void) {
        let changed: ScreenView? = screen.withLock { screen in
            let before = screen.revision
            body(&screen)
            return screen.revision == before ? nil : screen.view
        }
        guard let changed else { return }
        subscribers.withLock { state in
            for continuation in state.all.values { continuation.yield(.view(changed)) }
        }
    }

    private func followEvents() {
        while running.load(ordering: .relaxed) {
            try? ControlClient.stream(ControlRequest(.events), to: socketPath, timeout: .seconds(10)) { response in
                if let event = response.event {
                    let (now, wall) = Self.clocks()
                    change { $0.event(event, nowMs: now, wallMs: wall) }
                }
                return running.load(ordering: .relaxed)
            }
            guard running.load(ordering: .relaxed) else { return }
            Thread.sleep(forTimeInterval: 1)
        }
    }

    private func applyStatus() {
        var ticks = 0
        while running.load(ordering: .relaxed) {
            ticks += 1
            if ticks % 20 == 0 {
                subscribers.withLock { state in
                    for continuation in state.all.values { continuation.yield(.heartbeat) }
                }
            }
            let status = follower.status
            let (now, _) = Self.clocks()
            change { screen in
                screen.status(status, nowMs: now)
                screen.tick(nowMs: now)
            }
            Thread.sleep(forTimeInterval: 0.25)
        }
    }

    private static func clocks() -> (monotonicMs: Int64, wallMs: Int64) {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return (
            Int64(time.tv_sec) * 1_000 + Int64(time.tv_nsec) / 1_000_000, Int64(Date().timeIntervalSince1970 * 1_000)
        )
    }
}
