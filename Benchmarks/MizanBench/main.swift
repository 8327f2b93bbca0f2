// Benchmarks print figures; they assert nothing (machines are noisy).
//
// usage: mizan-bench [engine|ledger|all] [--samples N] [--deposits N] [--commits N]
import Foundation

var selection = "all"
var samples = 4_000_000
var deposits = 1_000_000
var commits = 1_000
var arguments = CommandLine.arguments.dropFirst()
while let argument = arguments.popFirst() {
    switch argument {
    case "engine", "ledger", "all": selection = argument
    case "--samples": samples = arguments.popFirst().flatMap(Int.init) ?? samples
    case "--deposits": deposits = arguments.popFirst().flatMap(Int.init) ?? deposits
    case "--commits": commits = arguments.popFirst().flatMap(Int.init) ?? commits
    default:
        print("usage: mizan-bench [engine|ledger|all] [--samples N] [--deposits N] [--commits N]")
        exit(2)
    }
}

if selection != "ledger" { runEngineBenchmark(sampleCount: samples) }
if selection != "engine" {
    if selection == "all" { print("") }
    runLedgerBenchmark(commits: commits, deposits: deposits)
}
