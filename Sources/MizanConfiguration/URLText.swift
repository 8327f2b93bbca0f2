/// The host of an http(s) URL as written in the configuration, without
/// Foundation's lenient parsing: `http://hub.example:8470/` → `hub.example`.
enum URLText {
    static func host(of url: String) -> String? {
        guard let schemeEnd = url.range(of: "://") else { return nil }
        let rest = url[schemeEnd.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        let host = authority.hasPrefix("[") ? authority.prefix { $0 != "]" } + "]" : authority.prefix { $0 != ":" }
        guard !host.isEmpty, !host.contains(" "), !host.contains("@") else { return nil }
        return String(host)
    }
}
