import MizanCore

/// The weighing indicators' byte streams, as a pty delivers them: in any
/// chunks.
enum ScaleParserTargets {
    static let continuousIndicator = FuzzTarget(
        name: "continuous-indicator",
        property: "no trap; the same readings however the stream is split; every line counted accepted or rejected"
    ) { bytes in
        let fed = fedWholeAndSplit(ContinuousIndicatorParser.init, bytes) { $0.feed($1) }
        if let difference = fed.difference { return difference }
        let (whole, all) = (fed.whole, fed.outputs)
        if whole.linesAccepted != all.count { return "\(whole.linesAccepted) lines accepted, \(all.count) readings" }
        return nil
    }

    static let mtSICS = FuzzTarget(
        name: "mt-sics",
        property: "no trap; the same replies however the stream is split; every reply counted accepted or rejected"
    ) { bytes in
        let fed = fedWholeAndSplit(MTSICSParser.init, bytes) { $0.feed($1) }
        if let difference = fed.difference { return difference }
        let (whole, all) = (fed.whole, fed.outputs)
        if whole.repliesAccepted != all.count {
            return "\(whole.repliesAccepted) replies accepted, \(all.count) replies"
        }
        return nil
    }
}
