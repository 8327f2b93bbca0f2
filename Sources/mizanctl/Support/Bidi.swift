import Foundation
import Glibc

/// Arabic names in a left-to-right terminal. A terminal that implements
/// the Unicode bidirectional algorithm (GNOME Terminal, Konsole, mlterm)
/// shows a name right when it is isolated from the text around it (FSI …
/// PDI), so that "household 3: أم خليل (2 cards)" keeps its order. One that
/// does not (xterm, most SSH clients on Windows) shows Arabic letters
/// backwards; `MIZAN_BIDI=visual` makes mizanctl reverse right-to-left runs
/// for such a terminal. Pipes and files always get the text as it is.
enum Bidi {
    enum Mode {
        case logical
        case isolated
        case visual
    }

    static let mode: Mode = {
        if ProcessInfo.processInfo.environment["MIZAN_BIDI"] == "visual" { return .visual }
        return isatty(STDOUT_FILENO) == 1 ? .isolated : .logical
    }()

    static func isolate(_ text: String, mode: Mode = Bidi.mode) -> String {
        guard text.unicodeScalars.contains(where: isRightToLeft) else { return text }
        switch mode {
        case .logical: return text
        case .isolated: return "\u{2068}\(text)\u{2069}"
        case .visual: return visual(text)
        }
    }

    /// The text in display order for a terminal without bidi: a run of
    /// right-to-left words (with the spaces and punctuation between them)
    /// is reversed as a whole; numbers inside it keep their own order.
    static func visual(_ text: String) -> String {
        var output = ""
        var run: [Character] = []
        var pending: [Character] = []  // neutral characters after a run: kept with it only if it continues
        func flush() {
            output += reversedRun(run)
            output += String(pending)
            run = []
            pending = []
        }
        for character in text {
            if character.unicodeScalars.contains(where: isRightToLeft) {
                run += pending
                pending = []
                run.append(character)
            } else if !run.isEmpty, character == " " || character.isPunctuation || character.isNumber {
                pending.append(character)
            } else {
                flush()
                output.append(character)
            }
        }
        flush()
        return output
    }

    private static func reversedRun(_ run: [Character]) -> String {
        // Reverse the characters, then put each number back in reading order.
        var reversed = Array(run.reversed())
        var index = 0
        while index < reversed.count {
            guard reversed[index].isNumber else {
                index += 1
                continue
            }
            var end = index
            while end < reversed.count, reversed[end].isNumber { end += 1 }
            reversed[index..<end].reverse()
            index = end
        }
        return String(reversed)
    }

    static func isRightToLeft(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x0590...0x08FF, 0xFB1D...0xFDFF, 0xFE70...0xFEFF: true
        default: false
        }
    }
}
