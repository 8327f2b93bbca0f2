import Foundation
import MizanLedger
import Synchronization
import MizanPOSIX

/// Who may pull: a cooperative's active token, from `Authorization:
/// Bearer …` (scripts) or `?token=` (a person's browser bookmark). Wrong
/// or missing tokens are counted per client address; past the limit the
/// client's failures get 429 until its window passes.
final class AccessGate: Sendable {
    let failuresAllowed: Int
    let window: Duration
    private let failures = Guarded<[String: (count: Int, since: ContinuousClock.Instant)]>([:])

    init(failuresAllowed: Int = 10, window: Duration = .seconds(60)) {
        self.failuresAllowed = failuresAllowed
        self.window = window
    }

    enum Decision: Equatable {
        case allowed(cooperative: String)
        case unauthorized
        case tooManyAttempts
    }

    /// A valid token is always let in, even from an address over its limit:
    /// a cooperative behind the same NAT as someone guessing must not be
    /// locked out. Only failures are limited.
    func decide(
        token: String?, client: String, lookup: (String) throws -> String?, now: ContinuousClock.Instant = .now
    ) -> Decision {
        if let token, !token.isEmpty, token.utf8.count <= 200, let cooperative = try? lookup(token) {
            return .allowed(cooperative: cooperative)
        }
        if isLimited(client, now: now) { return .tooManyAttempts }
        failures.withLock { failures in
            var entry = failures[client] ?? (0, now)
            if now - entry.since > window { entry = (0, now) }
            entry.count += 1
            failures[client] = entry
            // Forget clients whose window passed, so the table stays small.
            if failures.count > 1_000 { failures = failures.filter { now - $0.value.since <= window } }
        }
        return .unauthorized
    }

    private func isLimited(_ client: String, now: ContinuousClock.Instant) -> Bool {
        failures.withLock { failures in
            guard let entry = failures[client] else { return false }
            return now - entry.since <= window && entry.count >= failuresAllowed
        }
    }
}
