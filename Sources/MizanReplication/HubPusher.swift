public import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
public import MizanLedger
import Synchronization
import MizanPOSIX

/// Sends this kiosk's journal links to the hub, in order, in batches, on a
/// thread of its own (in the web process: never in the real-time daemon).
/// The ledger is the outbox and the cursor file says how far the hub has
/// them; a failed push is tried again with a growing pause (1 s doubling to
/// 5 min), so a kiosk offline for days catches up when the hub is back. A
/// refusal (a fork, an edited link, an unknown key) is logged for a person
/// and tried again only after the longest pause.
public final class HubPusher: Sendable {
    public struct Settings: Sendable {
        public var url: URL
        public var key: String
        public var batch = 500
        /// How often to look for new links when the hub has everything.
        public var idle: Duration = .seconds(5)
        public var longestPause: Duration = .seconds(300)

        public init(url: URL, key: String) {
            (self.url, self.key) = (url, key)
        }
    }

    private let ledger: Ledger
    private let cursor: PushCursor
    private let settings: Settings
    private let log: @Sendable (String) -> Void
    private let running = Atomic<Bool>(true)
    private let wake = NSCondition()

    public init(ledger: Ledger, cursor: PushCursor, settings: Settings, log: @escaping @Sendable (String) -> Void) {
        self.ledger = ledger
        self.cursor = cursor
        self.settings = settings
        self.log = log
    }

    public func start() {
        let thread = Thread { [self] in loop() }
        thread.name = "mizan-hub-push"
        thread.start()
    }

    public func stop() {
        running.store(false, ordering: .relaxed)
        wake.broadcast()
    }

    private func loop() {
        var sent = cursor.load()
        var pause: Duration = .seconds(1)
        var failing: String?
        while running.load(ordering: .relaxed) {
            let links: [JournalLinkExport]
            do {
                links = try ledger.journalLinks(after: sent, limit: settings.batch)
            } catch {
                log("hub: reading the ledger's links after \(sent): \(error)")
                sleep(for: settings.longestPause)
                continue
            }
            guard let last = links.last else {
                sleep(for: settings.idle)
                continue
            }
            switch push(links) {
            case let .success(answer):
                if let failure = failing {
                    log("hub: pushing again after: \(failure)")
                    failing = nil
                }
                pause = .seconds(1)
                if answer.head != sent {
                    do {
                        try cursor.save(answer.head)
                    } catch {
                        log("hub: the cursor could not be saved (links will be sent again): \(error)")
                    }
                    log(
                        "hub: links \(links[0].seq)…\(last.seq) pushed (\(answer.inserted) new, \(answer.duplicates) already held); the hub holds 1…\(answer.head)"
                    )
                }
                // The next push starts after what the hub holds: links it lost
                // (a database restored from an older backup) are sent again.
                sent = answer.head
                if answer.head < last.seq { sleep(for: pause) }
            case let .failure(problem):
                if failing != problem.description { log("hub: \(problem.description)") }
                failing = problem.description
                pause = problem.refused ? settings.longestPause : min(pause * 2, settings.longestPause)
                sleep(for: pause)
            }
        }
    }

    struct PushProblem: Error {
        let description: String
        /// The hub said no to the content (not a passing network or server trouble).
        let refused: Bool
    }

    /// One push, waited for (this is the pusher's own thread).
    private func push(_ links: [JournalLinkExport]) -> Result<PushAnswer, PushProblem> {
        var request = URLRequest(url: settings.url.appendingPathComponent("api/v1/links"))
        request.httpMethod = "POST"
        request.timeoutInterval = 60
        request.setValue("Bearer \(settings.key)", forHTTPHeaderField: "Authorization")
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        // The profile goes with every push: a renamed material reaches the hub with the next links.
        guard let body = try? JSONEncoder().encode(LinkPush(links: links, profile: try? KioskProfile(of: ledger)))
        else {
            return .failure(PushProblem(description: "the links could not be encoded", refused: true))
        }
        request.httpBody = body
        let done = DispatchSemaphore(value: 0)
        let outcome = Guarded<(Data?, Int, String?)>((nil, 0, nil))
        URLSession.shared.dataTask(with: request) { data, response, error in
            outcome.withLock {
                $0 = (data, (response as? HTTPURLResponse)?.statusCode ?? 0, error.map { "\($0.localizedDescription)" })
            }
            done.signal()
        }.resume()
        done.wait()
        let (data, status, error) = outcome.withLock { $0 }
        let target = "\(settings.url.absoluteString)"
        if let error {
            return .failure(
                PushProblem(description: "the hub at \(target) cannot be reached: \(error)", refused: false))
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let answer = data.flatMap { try? decoder.decode(PushAnswer.self, from: $0) }
        switch (status, answer) {
        case let (200, answer?):
            return .success(answer)
        case let (409, answer?):
            return .failure(
                PushProblem(
                    description:
                        "the hub REFUSED link \(answer.seq ?? 0) (\(answer.refused ?? "conflict")): \(answer.error ?? "") — a person must look; the hub holds 1…\(answer.head)",
                    refused: true))
        case (401, _):
            return .failure(
                PushProblem(
                    description:
                        "the hub at \(target) does not know this kiosk's key (mizan-hub enrol, then hub: key_file)",
                    refused: true))
        default:
            return .failure(
                PushProblem(
                    description:
                        "the hub at \(target) answered \(status): \(answer?.error ?? String(decoding: (data ?? Data()).prefix(200), as: UTF8.self))",
                    refused: false))
        }
    }

    private func sleep(for duration: Duration) {
        wake.lock()
        defer { wake.unlock() }
        guard running.load(ordering: .relaxed) else { return }
        _ = wake.wait(until: Date(timeIntervalSinceNow: Double(duration.components.seconds)))
    }
}
