public import MizanCore

/// The screen's language: Arabic for households, English for technicians.
public enum ScreenLanguage: String, Sendable, CaseIterable, Codable {
    case arabic = "ar"
    case english = "en"

    public var direction: String { self == .arabic ? "rtl" : "ltr" }
}

/// A material's names, as the configuration gives them.
public struct MaterialNames: Sendable, Hashable {
    public var arabic: String
    public var english: String

    public init(arabic: String, english: String) {
        (self.arabic, self.english) = (arabic, english)
    }
}

/// Turns a `ScreenView` into words: what each state says, the reason and
/// what to do next, the figures with the configured digits. Plain words
/// for households; nothing technical on the out-of-service screen.
public struct ScreenText: Sendable {
    public let language: ScreenLanguage
    public let numbers: ScreenNumbers
    public let currency: Currency
    public let materials: [String: MaterialNames]

    public init(
        language: ScreenLanguage, digits: DigitSystem, currency: Currency, materials: [String: MaterialNames]
    ) {
        self.language = language
        self.numbers = ScreenNumbers(digits)
        self.currency = currency
        self.materials = materials
    }

    private func say(_ arabic: String, _ english: String) -> String {
        language == .arabic ? arabic : english
    }

    public func message(_ view: ScreenView) -> ScreenMessage {
        var message = ScreenMessage(
            state: view.state, language: language.rawValue, direction: language.direction, icon: "i-hand",
            accent: ScreenPalette.accent(of: view.state), tone: nil, voice: [view.state.rawValue], title: [],
            lines: [], figures: [], advice: [], decidedMonotonicNs: view.decidedMonotonicNs)
        let name = view.householdName.map { ScreenMessage.Segment.isolated($0) }
        switch view.state {
        case .waiting:
            message.title = [.plain(say("أهلاً بكم في ميزان", "Welcome to Mizan"))]
            message.lines = [[.plain(say("افرز، زِن، واكسب رصيداً", "Sort, weigh, earn credit"))]]
        case .welcome:
            message.icon = "i-wave"
            message.tone = "welcome"
            message.title = greeting(say("أهلاً", "Welcome"), name)
            message.lines = [[.plain(say("افتح غطاء المادة التي أحضرتها", "Open the lid of the material you brought"))]]
        case .binOpen:
            let look = ScreenPalette.look(ofMaterial: view.material)
            (message.icon, message.accent) = (look.icon, look.accent)
            let material = materialName(view.material, bin: view.bin)
            message.title = [.plain(material.isEmpty ? say("الغطاء مفتوح", "Lid open") : material)]
            message.lines = [
                [
                    .plain(
                        say(
                            "الغطاء مفتوح: ضع المواد في الداخل، ثم أغلق الغطاء",
                            "The lid is open: put the items in, then close the lid"))
                ]
            ]
        case .weighing:
            message.icon = "i-scale"
            message.title = [.plain(say("جارٍ الوزن…", "Weighing…"))]
            message.lines = [[.plain(materialName(view.material, bin: view.bin))]]
            message.advice = [
                .plain(say("لا تلمس الحاوية حتى يظهر الوزن", "Please do not touch the bin until the weight shows"))
            ]
        case .credited:
            message.icon = "i-check"
            message.tone = "credited"
            message.title = [.plain(say("أُضيف الرصيد", "Credited"))]
            message.lines = depositLine(view)
            if let credit = view.creditMinor {
                message.figures.append(money("deposit", say("هذا الإيداع", "This deposit"), credit))
            }
            if let total = view.sessionCreditMinor {
                message.figures.append(money("session", say("مجموع الزيارة", "This visit"), total))
            }
            if let balance = view.balanceMinor {
                message.figures.append(money("balance", say("رصيدك", "Your balance"), balance))
            }
            if let village = view.villageBalanceMinor, village != view.balanceMinor {
                message.figures.append(money("village", say("رصيدك في القرية", "Your balance in the village"), village))
            }
            message.advice =
                view.capped
                ? [
                    .plain(
                        say(
                            "بلغت حد اليوم، ولا يُضاف رصيد آخر اليوم. عُد غداً",
                            "You reached today's limit; no more credit today. Come back tomorrow"))
                ]
                : [
                    .plain(
                        say(
                            "افتح غطاءً آخر، أو المس القارئ ببطاقتك لتنهي",
                            "Open another lid, or tap your card to finish"))
                ]
        case .donation:
            message.icon = "i-heart"
            message.tone = "credited"
            message.title = [.plain(say("شكراً لتبرعك", "Thank you for your donation"))]
            message.lines = depositLine(view)
            message.advice = [
                .plain(
                    say(
                        "لتكسب رصيداً، المس القارئ ببطاقتك قبل أن تفتح الغطاء",
                        "To earn credit, tap your card before you open a lid"))
            ]
        case .rejected:
            message.icon = "i-cross"
            message.tone = "refused"
            message.title = [.plain(say("لم يُضف رصيد", "No credit"))]
            let (why, next) = depositReason(view.reason)
            message.lines = [[.plain(why)]] + depositLine(view)
            message.advice = [.plain(next)]
            if let reason = view.reason { message.voice = ["rejected-\(reason)", "rejected"] }
        case .refused:
            message.icon = "i-card"
            message.tone = "refused"
            message.title = [.plain(say("البطاقة غير مقبولة", "Card not accepted"))]
            let (why, next) = refusal(view.reason)
            message.lines = [[.plain(why)]]
            message.advice = [.plain(next)]
            if let reason = view.reason { message.voice = ["refused-\(reason)", "refused"] }
        case .goodbye:
            message.icon = "i-wave"
            message.title = greeting(say("مع السلامة", "Goodbye"), name)
            message.lines = [[.plain(say("شكراً لأنك تفرز", "Thank you for sorting"))]]
            if let total = view.sessionCreditMinor {
                message.figures.append(money("session", say("مجموع الزيارة", "This visit"), total))
            }
            if let balance = view.balanceMinor {
                message.figures.append(money("balance", say("رصيدك", "Your balance"), balance))
            }
            if let village = view.villageBalanceMinor, village != view.balanceMinor {
                message.figures.append(money("village", say("رصيدك في القرية", "Your balance in the village"), village))
            }
        case .outOfService:
            message.icon = "i-wrench"
            message.title = [.plain(say("الجهاز خارج الخدمة", "Out of service"))]
            message.lines = [[.plain(say("لا يمكن إضافة رصيد الآن", "The kiosk cannot give credit right now"))]]
            message.advice = [
                .plain(
                    say(
                        "عُد لاحقاً، أو استخدم جهازاً آخر في القرية. رصيدك محفوظ",
                        "Please come back later, or use another kiosk in the village. Your balance is safe"))
            ]
        }
        return message
    }

    private func greeting(_ word: String, _ name: ScreenMessage.Segment?) -> [ScreenMessage.Segment] {
        guard let name else { return [.plain(word)] }
        return [.plain(word + (language == .arabic ? "، " : ", ")), name]
    }

    func materialName(_ material: String?, bin: String?) -> String {
        guard let material, let names = materials[material] else { return material ?? bin ?? "" }
        return language == .arabic ? names.arabic : names.english
    }

    /// "Plastic: 1.25 kg", when the deposit's weight is known.
    private func depositLine(_ view: ScreenView) -> [[ScreenMessage.Segment]] {
        guard let grams = view.grams else {
            return view.material == nil ? [] : [[.plain(materialName(view.material, bin: view.bin))]]
        }
        let weight = numbers.weight(grams)
        let unit = weight.inKilograms ? say("كغ", "kg") : say("غ", "g")
        return [
            [
                .plain(materialName(view.material, bin: view.bin) + (language == .arabic ? ": " : ": ")),
                .isolated(weight.value + " " + unit),
            ]
        ]
    }

    private func money(_ id: String, _ label: String, _ minorUnits: Int64) -> ScreenMessage.Figure {
        ScreenMessage.Figure(
            id: id, label: label, value: numbers.amount(minorUnits, in: currency),
            unit: language == .arabic ? currency.nameArabic : currency.nameEnglish)
    }

    /// Why a deposit earned nothing, and what to do next.
    func depositReason(_ reason: String?) -> (why: String, next: String) {
        let later = say("حاول لاحقاً، أو استخدم جهازاً آخر", "Try again later, or use another kiosk")
        switch reason.flatMap(DepositReason.init(rawValue:)) {
        case .belowMinimum:
            return (
                say("الكمية قليلة جداً", "Too little to weigh"),
                say("اجمع كمية أكبر وأحضرها في المرة القادمة", "Collect more and bring it next time")
            )
        case .unstable:
            return (
                say("الميزان كان يتحرك", "The scale was moving"),
                say(
                    "أغلق الغطاء برفق ولا تلمس الحاوية، ثم حاول مرة أخرى",
                    "Close the lid gently, do not touch the bin, and try again")
            )
        case .negative:
            return (
                say("نقص الوزن", "The weight went down"),
                say("لا تُخرج شيئاً من الحاوية", "Please do not take anything out of the bin")
            )
        case .implausible:
            return (
                say("الوزن أكبر من المعقول", "Far too heavy for one deposit"),
                say("اطلب المساعدة من المسؤول عن الجهاز", "Ask the kiosk's caretaker for help")
            )
        case .ambiguousBin:
            return (
                say("فُتح غطاءان في نفس الوقت", "Two lids were open at once"),
                say("افتح غطاءً واحداً في كل مرة", "Open one lid at a time")
            )
        case .fault, .outOfService:
            return (say("الجهاز لم يكن جاهزاً", "The kiosk was not ready"), later)
        case .noPrice:
            return (
                say("لا يوجد سعر لهذه المادة", "No price is set for this material"),
                say("استخدم حاوية مادة أخرى", "Use the bin of another material")
            )
        case .interrupted:
            return (
                say("توقف الجهاز أثناء الوزن", "The kiosk restarted while weighing"),
                say("حاول مرة أخرى", "Please try again")
            )
        case .capped:
            return (say("بلغت حد اليوم", "You reached today's limit"), say("عُد غداً", "Come back tomorrow"))
        case .credited, .anonymous:
            return ("", "")
        case nil:
            // not_recorded: the ledger could not record it.
            return (
                say("لم يُسجَّل الإيداع، ولم يُضف شيء", "The deposit could not be recorded; nothing was credited"), later
            )
        }
    }

    /// Why a card was refused, and what to do next.
    func refusal(_ reason: String?) -> (why: String, next: String) {
        switch reason.flatMap(TapRefusal.init(rawValue:)) {
        case .unknownCard:
            return (
                say("هذه البطاقة غير مسجلة", "This card is not registered"),
                say(
                    "سجّل بطاقتك لدى البلدية أو الجمعية التعاونية",
                    "Register your card at the municipality or your cooperative")
            )
        case .blockedCard:
            return (
                say("هذه البطاقة موقوفة", "This card is blocked"), say("راجع البلدية", "Please see the municipality")
            )
        case .outOfService:
            return (
                say("الجهاز خارج الخدمة الآن", "The kiosk is out of service now"),
                say("حاول لاحقاً، أو استخدم جهازاً آخر", "Try again later, or use another kiosk")
            )
        case .anotherSessionOpen:
            return (
                say("أسرة أخرى تستخدم الجهاز الآن", "Another household is using the kiosk"),
                say("انتظر حتى تنتهي، ثم المس القارئ ببطاقتك", "Wait until they finish, then tap your card")
            )
        case nil:
            return (
                say("لم تُقرأ البطاقة", "The card could not be read"),
                say("المس القارئ ببطاقتك مرة أخرى", "Tap your card again")
            )
        }
    }

    /// The four steps of the waiting screen, in order.
    public var steps: [(icon: String, text: String)] {
        [
            ("i-card", say("المس القارئ ببطاقتك", "Tap your card")),
            ("i-lid", say("افتح غطاء المادة", "Open the lid of the material")),
            ("i-drop", say("ضع المواد في الداخل", "Drop the items in")),
            ("i-close", say("أغلق الغطاء", "Close the lid")),
        ]
    }
}
