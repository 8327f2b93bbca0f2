import MizanYAML

/// The `screen:` section: the household screen mizan-web serves on
/// 127.0.0.1 (there is no `bind`: the screen never leaves the board).
enum ScreenSection {
    static func read(
        _ section: StrictMapping, issue: (String, String) -> Void
    ) throws -> DaemonConfiguration.Screen? {
        typealias Key = ConfigurationKeys.Screen
        var screen = DaemonConfiguration.Screen()
        let enabled = try section.bool(Key.enabled) ?? true
        let port = try section.integer(Key.port) ?? Int64(screen.port)
        screen.language = try section.string(Key.language) ?? screen.language
        screen.digits = try section.string(Key.digits) ?? screen.digits
        screen.voiceDirectory = try section.string(Key.voiceDirectory)
        screen.fontDirectory = try section.string(Key.fontDirectory) ?? screen.fontDirectory
        try section.finish()
        if !(1...65_535).contains(port) { issue(Key.port.path, "must be between 1 and 65535, got \(port)") }
        screen.port = Int(clamping: port)
        if !["ar", "en"].contains(screen.language) {
            issue(Key.language.path, "must be ar or en, got \"\(screen.language)\"")
        }
        if !["arabic_indic", "western"].contains(screen.digits) {
            issue(Key.digits.path, "must be arabic_indic or western, got \"\(screen.digits)\"")
        }
        for (key, path) in [(Key.voiceDirectory, screen.voiceDirectory), (Key.fontDirectory, screen.fontDirectory)] {
            if let path, !path.hasPrefix("/") { issue(key.path, "must be an absolute path, got \"\(path)\"") }
        }
        return enabled ? screen : nil
    }
}
