/// The figures of a power-cut run, as `mizan-sim power-cuts` prints them.
public enum PowerCutReport {
    public static func text(_ figures: PowerCutRun.Figures) -> String {
        let ready = figures.readyMilliseconds.sorted()
        let median = ready.isEmpty ? 0 : ready[ready.count / 2]
        var lines = ["power cuts: \(figures.cuts.values.reduce(0, +)) in \(Int(figures.seconds)) s"]
        for moment in PowerCutRun.CutMoment.allCases {
            lines.append("  \(moment.rawValue): \(figures.cuts[moment, default: 0])")
        }
        lines += [
            "  of which before mizand was ready (during recovery): \(figures.cutsBeforeReady)",
            "drops announced \(figures.drops), credits acknowledged \(figures.acknowledged)",
            "ledgers read back after a cut and checked: \(figures.ledgersChecked)",
            "lost \(figures.lost.count), doubled \(figures.doubled.count), unexplained \(figures.unexplained.count), not verifying \(figures.unverified.count), not back in service \(figures.outOfService.count)",
            "other outcomes in the ledger: \(figures.otherOutcomes.isEmpty ? "none" : figures.otherOutcomes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", "))",
            "mizand ready after a boot: median \(median) ms, max \(ready.last ?? 0) ms",
            "file system after the last boot: \(figures.fileSystemCheck)",
        ]
        for problem in figures.lost + figures.doubled + figures.unexplained + figures.unverified {
            lines.append("  PROBLEM: \(problem)")
        }
        if !figures.outOfService.isEmpty {
            lines.append("  PROBLEM: out of service after boots \(figures.outOfService)")
        }
        lines.append(figures.passed ? "PASSED" : "FAILED")
        return lines.joined(separator: "\n")
    }
}
