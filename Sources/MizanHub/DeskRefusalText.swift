public import MizanCore

/// What the desk tells a cashier when it says no: a code for the page and
/// the tests, plain words in Arabic and English, and the HTTP status.
extension DeskRefusal {
    public var code: String {
        switch self {
        case .noPIN: "no_pin"
        case .wrongPIN: "wrong_pin"
        case .locked: "locked"
        case .blocked: "blocked"
        case .insufficient: "insufficient"
        case .keyReused: "key_reused"
        case .notFound: "not_found"
        case .notYours: "not_yours"
        case .notToday: "not_today"
        case .alreadyVoided: "already_voided"
        case .badRequest: "bad_request"
        }
    }

    public var status: Int {
        switch self {
        case .badRequest: 400
        case .notFound: 404
        case .notYours: 403
        case .locked: 423
        default: 409
        }
    }

    public func message(currency: Currency) -> (arabic: String, english: String) {
        switch self {
        case .noPIN:
            (
                "لا يوجد رمز سري لهذه البطاقة: تُسجَّل الأسرة لدى البلدية أولاً.",
                "This card has no PIN: the household registers it at the municipality first."
            )
        case let .wrongPIN(left):
            ("الرمز السري غير صحيح. المحاولات المتبقية: \(left).", "Wrong PIN. Attempts left: \(left).")
        case .locked:
            (
                "أُوقف الصرف بهذه البطاقة مؤقتاً بعد محاولات خاطئة. حاولوا بعد ربع ساعة.",
                "Spending with this card is locked after wrong PINs. Try again in a quarter of an hour."
            )
        case .blocked:
            ("هذه البطاقة موقوفة. راجعوا البلدية.", "This card is blocked. Please see the municipality.")
        case let .insufficient(balance):
            (
                "الرصيد لا يكفي: المتاح \(currency.formatAmount(minorUnits: balance)).",
                "Not enough credit: \(currency.formatAmount(minorUnits: balance)) available."
            )
        case .keyReused:
            (
                "هذا الطلب استُعمل لعملية أخرى. ابدؤوا من جديد.",
                "This request was already used for something else. Start again."
            )
        case .notFound: ("لا توجد عملية بهذا الرقم.", "There is no redemption with that number.")
        case .notYours: ("هذه العملية لجمعية أخرى.", "This redemption belongs to another cooperative.")
        case .notToday: ("يمكن الإلغاء في اليوم نفسه فقط.", "A redemption can be voided on its own day only.")
        case .alreadyVoided: ("أُلغيت هذه العملية من قبل.", "This redemption was already voided.")
        case let .badRequest(what): ("طلب غير صالح: \(what)", "Not a valid request: \(what)")
        }
    }
}
