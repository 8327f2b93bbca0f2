/// Why a deposit was or was not credited. Stored in the ledger and shown to
/// households and technicians; the raw values are a stable, machine-readable
/// vocabulary.
public enum DepositReason: String, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    /// Credited in full.
    case credited
    /// Credited up to a daily cap; the rest earned nothing.
    case capped
    /// No session was open: the kilograms count, no credit is due.
    case anonymous
    case belowMinimum = "below_minimum"
    case negative
    /// Larger than any real deposit could be.
    case implausible
    /// No stable reading before the lid opened or within the settle timeout
    /// after it closed.
    case unstable
    /// Two lids were open at once, so the material is not known.
    case ambiguousBin = "ambiguous_bin"
    /// The scale was faulted (overload, underload, silent, zero) meanwhile.
    case fault
    /// The kiosk was out of service when the lid opened.
    case outOfService = "out_of_service"
    /// The price table has no rate for the material.
    case noPrice = "no_price"
    /// The daemon stopped (or crashed) while the deposit was being weighed.
    case interrupted

    public var description: String { rawValue }

    /// Whether the household got credit from it.
    public var isCredited: Bool { self == .credited || self == .capped }

    public var englishExplanation: String {
        switch self {
        case .credited: "credited"
        case .capped: "credited up to today's limit"
        case .anonymous: "donation recorded (no card tapped)"
        case .belowMinimum: "too little to weigh: add more next time"
        case .negative: "weight went down: was something taken out?"
        case .implausible: "far too heavy for one deposit"
        case .unstable: "the scale did not settle"
        case .ambiguousBin: "two lids were open at once"
        case .fault: "the scale had a fault"
        case .outOfService: "the kiosk was out of service"
        case .noPrice: "no price is set for this material"
        case .interrupted: "interrupted by a restart"
        }
    }

    public var arabicExplanation: String {
        switch self {
        case .credited: "تمت إضافة الرصيد"
        case .capped: "أضيف الرصيد حتى حد اليوم"
        case .anonymous: "سُجّل كتبرع (لم تُستخدم بطاقة)"
        case .belowMinimum: "الكمية قليلة جداً"
        case .negative: "نقص الوزن: هل أُخرج شيء؟"
        case .implausible: "الوزن أكبر من المعقول"
        case .unstable: "الميزان لم يستقر"
        case .ambiguousBin: "فُتح غطاءان في نفس الوقت"
        case .fault: "عطل في الميزان"
        case .outOfService: "الجهاز خارج الخدمة"
        case .noPrice: "لا يوجد سعر لهذه المادة"
        case .interrupted: "انقطع بسبب إعادة التشغيل"
        }
    }
}
