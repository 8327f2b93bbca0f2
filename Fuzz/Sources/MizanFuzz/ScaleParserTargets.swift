import MizanCore

/// The weighing indicators' byte streams, as a pty delivers them: in any
/// chunks.
enum ScaleParserTargets {
    static let continuousIndicator = FuzzTarget(
        name: "continuous-indicator",
        property: "no trap; the same readings however the stream is split; every line counted accepted or rejected"
    ) { bytes in
        var whole = ContinuousIndicatorParser()
        let all = whole.feed(bytes)
        var split = ContinuousIndicatorParser()
        let cut = splitPoint(of: bytes)
        let pieces = split.feed(bytes[..<cut]) + split.feed(bytes[cut...])
        if all != pieces { return "split at \(cut): \(pieces) instead of \(all)" }
        if whole.linesAccepted != all.count { return "\(whole.linesAccepted) lines accepted, \(all.count) readings" }
        return nil
    }

    static let mtSICS = FuzzTarget(
        name: "mt-sics",
        property: "no trap; the same replies however the stream is split; every reply counted accepted or rejected"
    ) { bytes in
        var whole = MTSICSParser()
        let all = whole.feed(bytes)
        var split = MTSICSParser()
        let cut = splitPoint(of: bytes)
        let pieces = split.feed(bytes[..<cut]) + split.feed(bytes[cut...])
        if all != pieces { return "split at \(cut): \(pieces) instead of \(all)" }
        if whole.repliesAccepted != all.count {
            return "\(whole.repliesAccepted) replies accepted, \(all.count) replies"
        }
        return nil
    }
}
