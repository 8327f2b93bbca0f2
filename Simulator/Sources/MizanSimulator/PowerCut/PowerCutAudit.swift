/// The host's account of a power-cut run: every drop the guest announced
/// and every credit it saw acknowledged, compared with each ledger the
/// guest found after a boot.
///
/// Each drop's weight is its name (200 g + 10 g × (drop mod 280), a
/// multiple of the scale's division), so a deposit in the ledger can be
/// traced to the drop it weighed: one drop credited twice shows up as a
/// deposit whose weight belongs to a drop already matched.
public struct PowerCutAudit: Sendable {
    public private(set) var drops: [Int: Int64] = [:]
    public private(set) var acknowledged: [Int: (deposit: String, grams: Int64)] = [:]

    public init() {}

    public static func grams(ofDrop drop: Int) -> Int64 { 200 + 10 * Int64(drop % 280) }

    /// The next drop's number: one past the last one announced.
    public var nextDrop: Int { (drops.keys.max() ?? 0) + 1 }

    public mutating func record(_ marks: [PowerCutMark]) {
        for mark in marks {
            switch mark {
            case .drop(let drop, let grams): drops[drop] = grams
            case .acknowledged(let drop, let deposit, let grams): acknowledged[drop] = (deposit, grams)
            default: break
            }
        }
    }

    public struct Findings: Sendable {
        /// Acknowledged credits missing from the ledger, or changed.
        public var lost: [String] = []
        /// Deposits that repeat a drop already credited.
        public var doubled: [String] = []
        /// Credited deposits no announced drop explains.
        public var unexplained: [String] = []
        /// Deposits recorded with another outcome than credited, by reason.
        public var otherOutcomes: [String: Int] = [:]
        public var creditedInLedger = 0

        public var clean: Bool { lost.isEmpty && doubled.isEmpty && unexplained.isEmpty }
    }

    public func check(_ snapshot: PowerCutLedgerSnapshot) -> Findings {
        var findings = Findings()
        let byID = Dictionary(snapshot.deposits.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        for (drop, acknowledgement) in acknowledged.sorted(by: { $0.key < $1.key }) {
            guard let deposit = byID[acknowledgement.deposit] else {
                findings.lost.append("drop \(drop): deposit \(acknowledgement.deposit) was credited and is gone")
                continue
            }
            if deposit.reason != "credited" || deposit.netGrams != acknowledgement.grams {
                findings.lost.append(
                    "drop \(drop): deposit \(deposit.id) was credited for \(acknowledgement.grams) g, the ledger says \(deposit.reason) \(deposit.netGrams) g"
                )
            }
        }
        var matchedUpTo = 0
        var matched = Set<Int>()
        for deposit in snapshot.deposits {
            guard deposit.reason == "credited" else {
                findings.otherOutcomes[deposit.reason, default: 0] += 1
                continue
            }
            findings.creditedInLedger += 1
            let candidates = drops.filter { $0.value == deposit.netGrams }.keys
            if let drop = candidates.filter({ $0 > matchedUpTo }).min() {
                matchedUpTo = drop
                matched.insert(drop)
            } else if let repeated = candidates.filter(matched.contains).max() {
                findings.doubled.append("deposit \(deposit.id) (\(deposit.netGrams) g) repeats drop \(repeated)")
            } else {
                findings.unexplained.append("deposit \(deposit.id) (\(deposit.netGrams) g) matches no drop")
            }
        }
        return findings
    }
}
