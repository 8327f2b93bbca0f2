public import MizanControl
import MizanCore

/// What the household screen shows, worked out from the daemon's typed
/// event stream (what happened, at once) and its status (the standing
/// truth: in service, a session open, lids open). Events drive the states;
/// the status rebuilds them after a reconnect and corrects them when an
/// event was missed. Pure: time comes in as monotonic milliseconds.
public struct HouseholdScreen: Sendable {
    /// How long a passing state stays before the screen falls back.
    public struct Timing: Sendable {
        public var goodbyeMs: Int64 = 6_000
        /// A refused card, a donation, an anonymous deposit's result.
        public var passingMs: Int64 = 8_000
        /// A status contradicting the screen for this long wins over it
        /// (events and status come on two connections, a little apart).
        public var disagreementMs: Int64 = 1_500
        /// Events older than this when they arrive are a replay of the
        /// daemon's recent lines, not news.
        public var staleEventMs: Int64 = 15_000

        public init() {}
    }

    public private(set) var view = ScreenView(.outOfService)
    /// Bumped at every change of `view`: what the pages are sent.
    public private(set) var revision: Int64 = 0

    private let book: any ScreenBook
    private let binMaterials: [String: String]
    private let timing: Timing
    private var shownAtMs: Int64 = 0
    private var reachable = false
    private var inService = false
    private var session: (id: String?, household: HouseholdID)?
    private var openBins: [String] = []
    /// Weights and materials of deposits committed, until their feedback.
    private var committed: [String: (material: String, bin: String, grams: Int64?, decidedNs: Int64?)] = [:]
    private var disagreeingSinceMs: Int64?

    public init(book: any ScreenBook, binMaterials: [String: String], timing: Timing = Timing()) {
        self.book = book
        self.binMaterials = binMaterials
        self.timing = timing
    }

    /// The daemon's latest status; nil while it does not answer.
    public mutating func status(_ status: KioskStatusReport?, nowMs: Int64) {
        guard let status else {
            reachable = false
            show(ScreenView(.outOfService), nowMs)
            return
        }
        let firstSinceReconnect = !reachable
        reachable = true
        inService = status.inService
        openBins = status.openLids
        let standingSession = status.household.map { (id: status.session, household: HouseholdID($0)) }
        if firstSinceReconnect {
            session = standingSession
            show(standing(), nowMs)
        } else if disagrees(with: status) {
            if let since = disagreeingSinceMs, nowMs - since >= timing.disagreementMs {
                session = standingSession
                show(standing(), nowMs)
            } else if disagreeingSinceMs == nil {
                disagreeingSinceMs = nowMs
            }
        } else {
            disagreeingSinceMs = nil
        }
    }

    /// One event of the daemon's stream, as it arrives.
    public mutating func event(_ event: KioskEventReport, nowMs: Int64, wallMs: Int64) {
        guard wallMs - event.timeMs < timing.staleEventMs else { return }
        switch event.kind {
        case "session_opened":
            if let household = event.field("MIZAN_HOUSEHOLD_ID").flatMap(Int64.init) {
                session = (event.field("MIZAN_SESSION_ID"), HouseholdID(household))
            }
        case "lid":
            guard let bin = event.field("MIZAN_BIN") else { return }
            if event.field("MIZAN_LID") == "open" {
                if !openBins.contains(bin) { openBins.append(bin) }
                show(binOpen(bin), nowMs)
            } else {
                openBins.removeAll { $0 == bin }
                if let other = openBins.last {
                    show(binOpen(other), nowMs)
                } else if view.state == .binOpen {
                    var weighing = ScreenView(.weighing)
                    weighing.bin = bin
                    weighing.material = binMaterials[bin]
                    weighing.householdName = view.householdName
                    show(weighing, nowMs)
                }
            }
        case "deposit":
            if let id = event.field("MIZAN_DEPOSIT_ID"), let material = event.field("MIZAN_MATERIAL") {
                committed[id] = (
                    material, event.field("MIZAN_BIN") ?? material, event.field("MIZAN_NET_G").flatMap(Int64.init),
                    event.field("MIZAN_DECIDED_MONOTONIC_NS").flatMap(Int64.init)
                )
            }
        default:
            if let feedback = event.feedback { self.feedback(feedback, nowMs: nowMs) }
        }
    }

    /// Passing states (goodbye, a refused card, a result with no session
    /// open) fall back after a while; a session's results stay until the
    /// household does something else.
    public mutating func tick(nowMs: Int64) {
        let limit: Int64? =
            switch view.state {
            case .goodbye: timing.goodbyeMs
            case .refused, .donation: timing.passingMs
            case .credited, .rejected: session == nil ? timing.passingMs : nil
            default: nil
            }
        if let limit, nowMs - shownAtMs >= limit { show(standing(), nowMs) }
    }

    private mutating func feedback(_ feedback: FeedbackReport, nowMs: Int64) {
        switch feedback.outcome {
        case .sessionOpened:
            if let household = feedback.household {
                if session?.household.rawValue != household { session = (nil, HouseholdID(household)) }
                // Asked now so that the hub's answer is there by the first deposit or the goodbye.
                _ = book.villageBalance(of: HouseholdID(household))
            }
            show(welcome(), nowMs)
        case .sessionClosed:
            var goodbye = ScreenView(.goodbye)
            let household = feedback.household.map(HouseholdID.init) ?? session?.household
            if let household {
                goodbye.householdName = book.householdName(household)
                goodbye.balanceMinor = book.committedBalance(of: household)
                goodbye.villageBalanceMinor = book.villageBalance(of: household)
                if let id = session?.id { goodbye.sessionCreditMinor = book.committedSessionCredit(id, of: household) }
            }
            session = nil
            show(goodbye, nowMs)
        case .credited, .donation, .rejected, .commitFailed:
            show(result(feedback), nowMs)
        case .tapRefused:
            var refused = ScreenView(.refused)
            refused.reason = feedback.reason
            show(refused, nowMs)
        case .outOfService:
            inService = false
            show(ScreenView(.outOfService), nowMs)
        case .backInService:
            inService = true
            show(standing(), nowMs)
        }
    }

    /// A deposit's outcome: the weight and material from its committed
    /// line (or the ledger), the credit, and — credited only, after the
    /// commit — the session's total and the balance.
    private mutating func result(_ feedback: FeedbackReport) -> ScreenView {
        let id = feedback.depositId ?? ""
        let line = committed.removeValue(forKey: id)
        let stored = line == nil ? book.committedDeposit(id) : nil
        var view: ScreenView
        switch feedback.outcome {
        case .credited:
            view = ScreenView(.credited)
            view.creditMinor = feedback.creditMinor
            view.capped = feedback.capped ?? false
        case .donation: view = ScreenView(.donation)
        case .commitFailed:
            view = ScreenView(.rejected)
            view.reason = "not_recorded"
        default:
            view = ScreenView(.rejected)
            view.reason = feedback.reason
        }
        view.material = line?.material ?? stored?.material
        view.bin = line?.bin ?? stored?.bin
        view.grams = feedback.grams ?? line?.grams ?? stored?.netGrams
        view.decidedMonotonicNs = line?.decidedNs
        if let session {
            view.householdName = book.householdName(session.household)
            if feedback.outcome == .credited {
                view.balanceMinor = book.committedBalance(of: session.household)
                view.villageBalanceMinor = book.villageBalance(of: session.household)
                if let id = session.id {
                    view.sessionCreditMinor = book.committedSessionCredit(id, of: session.household)
                }
            }
        }
        return view
    }

    /// What the kiosk stands at, with no news: a lid open, a session open, or nobody.
    private func standing() -> ScreenView {
        guard reachable, inService else { return ScreenView(.outOfService) }
        if let bin = openBins.last { return binOpen(bin) }
        return session == nil ? ScreenView(.waiting) : welcome()
    }

    private func welcome() -> ScreenView {
        var view = ScreenView(.welcome)
        if let session { view.householdName = book.householdName(session.household) }
        return view
    }

    private func binOpen(_ bin: String) -> ScreenView {
        var view = ScreenView(.binOpen)
        view.bin = bin
        view.material = binMaterials[bin]
        if let session { view.householdName = book.householdName(session.household) }
        return view
    }

    /// The status says something the screen does not show: a lid open,
    /// another session (or none), a weighing long over.
    private func disagrees(with status: KioskStatusReport) -> Bool {
        if !status.openLids.isEmpty {
            return !(view.state == .binOpen && status.openLids.contains(view.bin ?? ""))
        }
        if view.state == .goodbye || view.state == .refused { return false }
        // In service again (a missed back_in_service), or a screen that ran ahead of the status.
        if view.state == .outOfService { return true }
        if status.household != session?.household.rawValue { return true }
        switch view.state {
        case .binOpen: return true
        case .weighing: return status.depositPhase == "none" && status.awaitingCommit == 0
        case .waiting: return status.household != nil
        default: return false
        }
    }

    private mutating func show(_ next: ScreenView, _ nowMs: Int64) {
        disagreeingSinceMs = nil
        shownAtMs = nowMs
        guard next != view else { return }
        view = next
        revision += 1
    }
}
