import Foundation

/// The screen's colours. Every band carries white text, so each band
/// colour keeps a contrast of at least 7:1 (WCAG AAA) against white; the
/// state is never told by colour alone (an icon and a word go with it).
public enum ScreenPalette {
    public static let text = "#111111"
    public static let page = "#fffdf7"
    public static let bandText = "#ffffff"

    public static func accent(of state: ScreenState) -> String {
        switch state {
        case .waiting, .welcome, .goodbye: "#1f3a5f"
        case .binOpen, .weighing: "#5c4400"
        case .credited, .donation: "#0b5a23"
        case .rejected, .refused: "#8a1111"
        case .outOfService: "#3b3b3b"
        }
    }

    /// A material's colour and pictogram, by its usual id; other materials
    /// get a neutral box.
    public static func look(ofMaterial material: String?) -> (accent: String, icon: String) {
        switch material {
        case "plastic": ("#6e5200", "i-bottle")
        case "metal": ("#3c4852", "i-can")
        case "paper", "cardboard": ("#134a86", "i-paper")
        case "glass": ("#1d5a2d", "i-jar")
        case "organic": ("#5b3a1a", "i-leaf")
        case "textile": ("#5a2a6e", "i-shirt")
        default: ("#3b3b3b", "i-box")
        }
    }

    /// Every colour that carries band text, for the contrast check.
    public static var bandColours: [String] {
        ScreenState.allCases.map(accent(of:))
            + ["plastic", "metal", "paper", "glass", "organic", "textile", "other"].map { look(ofMaterial: $0).accent }
    }

    /// WCAG 2 contrast ratio of two `#rrggbb` colours.
    public static func contrast(_ first: String, _ second: String) -> Double {
        let (a, b) = (luminance(first), luminance(second))
        return (max(a, b) + 0.05) / (min(a, b) + 0.05)
    }

    static func luminance(_ hex: String) -> Double {
        let value = Int(hex.dropFirst(), radix: 16) ?? 0
        func channel(_ shift: Int) -> Double {
            let c = Double((value >> shift) & 0xFF) / 255
            return c <= 0.039_28 ? c / 12.92 : pow((c + 0.055) / 1.055, 2.4)
        }
        return 0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
    }
}
