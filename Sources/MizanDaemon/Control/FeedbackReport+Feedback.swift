import MizanControl
import MizanCore

extension FeedbackReport {
    /// The event stream's form of what a household was shown.
    init(_ feedback: Feedback) {
        switch feedback {
        case let .sessionOpened(household):
            self.init(outcome: .sessionOpened, household: household.rawValue)
        case let .sessionClosed(household):
            self.init(outcome: .sessionClosed, household: household.rawValue)
        case let .credited(id, credit, grams, capped):
            self.init(outcome: .credited, depositId: id.description, creditMinor: credit, grams: grams.value, capped: capped)
        case let .donationRecorded(id, grams):
            self.init(outcome: .donation, depositId: id.description, grams: grams.value)
        case let .depositRejected(id, reason):
            self.init(outcome: .rejected, depositId: id.description, reason: reason.rawValue)
        case let .tapRefused(card, refusal):
            self.init(outcome: .tapRefused, reason: refusal.rawValue, card: card.description)
        case let .commitFailed(id):
            self.init(outcome: .commitFailed, depositId: id.description)
        case .outOfService:
            self.init(outcome: .outOfService)
        case .backInService:
            self.init(outcome: .backInService)
        }
    }
}
