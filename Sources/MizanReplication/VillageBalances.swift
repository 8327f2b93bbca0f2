public import Foundation
#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif
import Synchronization
import MizanPOSIX

/// A household's balance at the hub, asked with this kiosk's key and kept
/// for a minute; never waited for (the screen shows it when it is there).
public final class VillageBalances: Sendable {
    private let url: URL
    private let key: String
    private let freshFor: Duration
    private let answers = Guarded<[String: (answer: VillageBalance, at: ContinuousClock.Instant)]>([:])
    private let asking = Guarded<Set<String>>([])

    public init(url: URL, key: String, freshFor: Duration = .seconds(60)) {
        (self.url, self.key, self.freshFor) = (url, key, freshFor)
    }

    /// The hub's last answer for `card` if it is fresh; otherwise nil, and
    /// the hub is asked again in the background.
    public func lookup(card: String) -> VillageBalance? {
        let now = ContinuousClock.now
        if let kept = answers.withLock({ $0[card] }), now - kept.at < freshFor { return kept.answer }
        guard asking.withLock({ $0.insert(card).inserted }) else { return nil }
        var components = URLComponents(
            url: url.appendingPathComponent("api/v1/kiosk/village-balance"), resolvingAgainstBaseURL: false)
        components?.queryItems = [URLQueryItem(name: "card", value: card)]
        guard let target = components?.url else {
            asking.withLock { _ = $0.remove(card) }
            return nil
        }
        var request = URLRequest(url: target)
        request.timeoutInterval = 3
        request.setValue("Bearer \(key)", forHTTPHeaderField: "Authorization")
        URLSession.shared.dataTask(with: request) { [self] data, response, _ in
            if (response as? HTTPURLResponse)?.statusCode == 200, let data,
                let answer = try? JSONDecoder().decode(VillageBalance.self, from: data)
            {
                answers.withLock { $0[card] = (answer, ContinuousClock.now) }
            }
            asking.withLock { _ = $0.remove(card) }
        }.resume()
        return nil
    }
}
