import Foundation
import MizanCore

/// Cards as they are tapped on the running kiosk, from the daemon's status
/// stream: a card counts once its tap is newer than when listening began.
struct CardListener {
    let socket: SocketOptions

    struct Tap {
        let card: CardUID
        /// "unknown", "household 12", "blocked household 7".
        let holder: String
    }

    /// Calls `each` for every tap until it returns false or `deadline` passes.
    func listen(until deadline: ContinuousClock.Instant? = nil, _ each: (Tap) throws -> Bool) throws {
        var newest: Int64?
        try socket.watch { status in
            if let deadline, ContinuousClock.now >= deadline { return false }
            let last = status.cardReader.lastCard
            let at = last?.atMs ?? 0
            guard let previous = newest else {
                newest = at
                return true
            }
            guard at > previous, let last, let card = CardUID(last.card) else { return true }
            newest = at
            return try each(Tap(card: card, holder: last.holder))
        }
    }

    /// The next card tapped that is not registered yet.
    func nextCard(timeout: Duration) throws -> Tap {
        let deadline = ContinuousClock.now + timeout
        var result: Tap?
        try listen(until: deadline) { tap in
            if tap.holder == "unknown" {
                result = tap
                return false
            }
            print("card \(tap.card) is already registered (\(tap.holder)); tap another")
            return true
        }
        guard let result else { throw CommandFailure("no new card was tapped within \(timeout.components.seconds) s") }
        return result
    }
}
