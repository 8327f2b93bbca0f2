public import MizanCore

/// A day's deposits counted by material, the way every totals report counts
/// them (the kiosk's own and the hub's per kiosk): credited and capped
/// deposits give credited grams and credit, anonymous ones donated grams,
/// every other reason rejected grams and a count under its reason.
public struct MaterialTally: Sendable {
    private let known: [Material]
    private var byMaterial: [String: MaterialTotals] = [:]

    /// `materials`: the kiosk's materials, in its order; each appears in
    /// the result, with deposits or not.
    public init(materials: [Material]) {
        known = materials
        for material in materials {
            byMaterial[material.id.rawValue] = MaterialTotals(
                material: material.id.rawValue, nameArabic: material.nameArabic, nameEnglish: material.nameEnglish)
        }
    }

    /// Counts `deposits` deposits of `material` decided with `reason`;
    /// `grams` is the sum of their positive net weights.
    public mutating func add(material: String, reason: String, deposits: Int, grams: Int64, credit: Int64) {
        var totals =
            byMaterial[material] ?? MaterialTotals(material: material, nameArabic: material, nameEnglish: material)
        totals.deposits += deposits
        switch DepositReason(rawValue: reason) ?? .fault {
        case .credited, .capped:
            totals.creditedDeposits += deposits
            totals.creditedGrams += grams
            totals.creditIssued += credit
        case .anonymous:
            totals.anonymousDeposits += deposits
            totals.anonymousGrams += grams
        case let other:
            totals.rejectedGrams += grams
            totals.rejected[other.rawValue, default: 0] += deposits
        }
        byMaterial[material] = totals
    }

    /// The kiosk's materials in its order, then any others met, by name.
    public var materials: [MaterialTotals] {
        var rest = byMaterial
        return known.compactMap { rest.removeValue(forKey: $0.id.rawValue) }
            + rest.values.sorted { $0.material < $1.material }
    }

    public var total: MaterialTotals {
        var total = MaterialTotals(material: "total", nameArabic: "المجموع", nameEnglish: "Total")
        for totals in materials { total.add(totals) }
        return total
    }
}
