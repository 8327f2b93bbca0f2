import Foundation
import MizanCore
import Testing

@testable import MizanScreen

/// The words, digits and colours of the screen.
struct ScreenTextTests {
    static let materials = [
        "plastic": MaterialNames(arabic: "بلاستيك", english: "Plastic"),
        "metal": MaterialNames(arabic: "معادن", english: "Metal"),
    ]

    static func text(_ language: ScreenLanguage = .arabic, _ digits: DigitSystem = .arabicIndic) -> ScreenText {
        ScreenText(language: language, digits: digits, currency: .beniZeidCredit, materials: materials)
    }

    static func plain(_ segments: [ScreenMessage.Segment]) -> String { segments.map(\.text).joined() }

    @Test func digitsFollowTheSettingNotTheLocale() {
        #expect(ScreenNumbers(.arabicIndic).amount(1_250, in: .beniZeidCredit) == "١٢٫٥٠")
        #expect(ScreenNumbers(.western).amount(1_250, in: .beniZeidCredit) == "12.50")
        #expect(ScreenNumbers(.arabicIndic).weight(750) == ("٧٥٠", false))
        #expect(ScreenNumbers(.western).weight(1_259) == ("1.25", true))
        #expect(ScreenNumbers(.western).weight(10_005) == ("10.00", true))
    }

    @Test func aCreditedDepositSaysWhatWhatItEarnedAndTheBalanceIsolated() {
        var view = ScreenView(.credited)
        (view.material, view.grams, view.creditMinor, view.sessionCreditMinor, view.balanceMinor) = (
            "plastic", 1_250, 375, 375, 1_375
        )
        view.householdName = "Umm Khalil"
        let message = Self.text().message(view)
        #expect(message.direction == "rtl")
        #expect(Self.plain(message.title) == "أُضيف الرصيد")
        #expect(message.lines == [[.plain("بلاستيك: "), .isolated("١٫٢٥ كغ")]])
        #expect(message.figures.map(\.id) == ["deposit", "session", "balance"])
        #expect(message.figures.map(\.value) == ["٣٫٧٥", "٣٫٧٥", "١٣٫٧٥"])
        #expect(message.tone == "credited")
        #expect(message.icon == "i-check")

        let english = Self.text(.english, .western).message(view)
        #expect(english.direction == "ltr")
        #expect(english.figures.map(\.value) == ["3.75", "3.75", "13.75"])

        // With the hub's answer, the balance across the village follows the kiosk's own.
        view.villageBalanceMinor = 4_375
        let village = Self.text(.english, .western).message(view)
        #expect(village.figures.map(\.id) == ["deposit", "session", "balance", "village"])
        #expect(village.figures.last?.label == "Your balance in the village" && village.figures.last?.value == "43.75")
    }

    @Test func everyReasonForNoCreditSaysWhyAndWhatToDoNext() {
        for reason in DepositReason.allCases.map(\.rawValue) + ["not_recorded"]
        where reason != "credited" && reason != "anonymous" {
            var view = ScreenView(.rejected)
            view.reason = reason
            for language in ScreenLanguage.allCases {
                let message = Self.text(language).message(view)
                #expect(!Self.plain(message.lines.first ?? []).isEmpty, "\(reason) in \(language)")
                #expect(!Self.plain(message.advice).isEmpty, "\(reason) in \(language)")
                #expect(message.voice == ["rejected-\(reason)", "rejected"])
            }
        }
        for reason in ["unknown_card", "blocked_card", "out_of_service", "another_session_open"] {
            var view = ScreenView(.refused)
            view.reason = reason
            let message = Self.text().message(view)
            #expect(!Self.plain(message.advice).isEmpty, "\(reason)")
        }
        var below = ScreenView(.rejected)
        below.reason = "below_minimum"
        #expect(Self.plain(Self.text().message(below).lines[0]) == "الكمية قليلة جداً")
    }

    @Test func everyStateHasATitleAnIconAndAColourWithEnoughContrast() {
        for state in ScreenState.allCases {
            for language in ScreenLanguage.allCases {
                let message = Self.text(language).message(ScreenView(state))
                #expect(!Self.plain(message.title).isEmpty, "\(state)")
                #expect(message.icon.hasPrefix("i-"), "\(state)")
                #expect(ScreenIcons.sprite.contains("id=\"\(message.icon)\""), "\(message.icon) is not drawn")
            }
        }
        for colour in ScreenPalette.bandColours {
            #expect(ScreenPalette.contrast(colour, ScreenPalette.bandText) >= 7, "\(colour) on white")
        }
        #expect(ScreenPalette.contrast(ScreenPalette.text, ScreenPalette.page) >= 7)
        #expect(abs(ScreenPalette.contrast("#000000", "#ffffff") - 21) < 0.01)
    }

    @Test func theOutOfServiceScreenSaysNothingTechnical() {
        let message = Self.text(.english).message(ScreenView(.outOfService))
        let words = ([message.title, message.advice] + message.lines).map(Self.plain).joined(separator: " ")
        #expect(words.contains("another kiosk"))
        for technical in ["fault", "ledger", "scale", "mizand", "error"] {
            #expect(!words.lowercased().contains(technical))
        }
    }

    @Test func thePageLoadsOnlyItsOwnFilesAndEscapesWhatItEmbeds() {
        var view = ScreenView(.welcome)
        view.householdName = "<script>alert(1)</script>\" onload=\"x"
        let text = Self.text()
        let page = ScreenPage.render(text: text, home: .arabic, initial: text.message(view), voices: ["welcome"])
        #expect(page.contains("<html lang=\"ar\" dir=\"rtl\">"))
        #expect(!page.contains("<script>alert"))
        #expect(!page.contains("\" onload=\"x"))
        #expect(!page.contains("style="))
        #expect(
            !page.contains("http://")
                || !page.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
        #expect(!page.contains("https://"))
        #expect(page.contains("<bdi>١</bdi>"))
        #expect(page.contains("href=\"/?lang=en\""))
        #expect(!ScreenScript.javascript.contains("innerHTML"))
        #expect(!ScreenScript.javascript.contains("http"))
        #expect(!ScreenStyle.css.contains("http"))
    }
}
