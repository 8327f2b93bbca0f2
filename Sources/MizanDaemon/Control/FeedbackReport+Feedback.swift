import MizanControl
import MizanCore

extension FeedbackReport {
    /// The event stream's form of what a household was shown.
    init(_ feedback: Feedback) {
        switch feedback {
        case let .sessionOpened(household):
            self.init(.sessionOpened)
            self.household = household.rawValue
        case let .sessionClosed(household):
            self.init(.sessionClosed)
            self.household = household.rawValue
        case let .credited(id, credit, grams, capped):
            self.init(.credited)
            depositId = id.description
            creditMinor = credit
            self.grams = grams.value
            self.capped = capped
        case let .donationRecorded(id, grams):
            self.init(.donation)
            depositId = id.description
            self.grams = grams.value
        case let .depositRejected(id, reason):
            self.init(.rejected)
            depositId = id.description
            self.reason = reason.rawValue
        case let .tapRefused(card, refusal):
            self.init(.tapRefused)
            reason = refusal.rawValue
            self.card = card.description
        case let .commitFailed(id):
            self.init(.commitFailed)
            depositId = id.description
        case .outOfService:
            self.init(Outcome.outOfService)
        case .backInService:
            self.init(Outcome.backInService)
        }
    }
}
