/// Text put into an HTML page (content or a quoted attribute): the five
/// characters that could end it or start markup, replaced by entities.
public enum HTMLText {
    /// Goes by Unicode scalar, not by Character: a quote followed by a
    /// combining mark is one grapheme cluster, yet the browser still ends
    /// the attribute at the quote.
    public static func escape(_ text: String) -> String {
        var escaped = ""
        escaped.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": escaped += "&amp;"
            case "<": escaped += "&lt;"
            case ">": escaped += "&gt;"
            case "\"": escaped += "&quot;"
            case "'": escaped += "&#39;"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped
    }
}
