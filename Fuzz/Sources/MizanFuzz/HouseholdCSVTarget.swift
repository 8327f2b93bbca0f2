import MizanCore
import MizanLedger

/// A households file for `mizanctl households import`.
enum HouseholdCSVTarget {
    static let target = FuzzTarget(
        name: "households-csv",
        property: "no trap; accepted households, written back as a spreadsheet writes CSV, read back the same"
    ) { bytes in
        let text = String(decoding: bytes, as: UTF8.self)
        guard case .success(let rows) = HouseholdCSV.read(text, registered: []) else { return nil }
        let written = (["card_uid,name"] + rows.map { CSVField.record([$0.card.description, $0.name]) }).joined(
            separator: "\r\n")
        guard case .success(let again) = HouseholdCSV.read(written, registered: []) else {
            return "\(rows.count) households written back are refused"
        }
        let pairs = rows.map { "\($0.card) \($0.name)" }
        let pairsAgain = again.map { "\($0.card) \($0.name)" }
        return pairs == pairsAgain ? nil : "read back as \(pairsAgain) instead of \(pairs)"
    }
}
