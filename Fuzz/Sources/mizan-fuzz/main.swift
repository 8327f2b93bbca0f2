// mizan-fuzz TARGET [CORPUS-DIR…] [-libFuzzer-flags…]
//
// Built by `make fuzz` (AddressSanitizer, coverage, libFuzzer linked), it
// fuzzes TARGET. Built ordinarily, it replays the inputs given through the
// target's check, which is how a crash found by the fuzzer is reproduced in
// the debugger. `mizan-fuzz --list` names the targets and their properties.
import CFuzzerDriver
import Foundation
import MizanFuzz

nonisolated(unsafe) var current: FuzzTarget?

let oneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32 = { data, size in
    let bytes = size == 0 ? [] : [UInt8](UnsafeBufferPointer(start: data, count: size))
    if let target = current, let broken = target.check(bytes) {
        FileHandle.standardError.write(
            Data("mizan-fuzz: \(target.name): \(target.property) — broken: \(broken)\n".utf8))
        abort()
    }
    return 0
}

let arguments = CommandLine.arguments
if arguments.count < 2 || arguments[1] == "--list" || arguments[1] == "--help" {
    for target in FuzzTarget.all { print("\(target.name)\n    \(target.property)") }
    exit(arguments.count < 2 ? 2 : 0)
}
guard let target = FuzzTarget.named(arguments[1]) else {
    FileHandle.standardError.write(Data("mizan-fuzz: no target \(arguments[1]); see mizan-fuzz --list\n".utf8))
    exit(2)
}
current = target
let rest = Array(arguments.dropFirst(2))
if mizan_fuzzer_linked() != 0 {
    var cArguments = ([arguments[0]] + rest).map { strdup($0) }
    cArguments.append(nil)
    exit(mizan_fuzzer_run(Int32(rest.count + 1), &cArguments, oneInput))
}
do {
    let replayed = try FuzzCorpus.replay(target, paths: rest.filter { !$0.hasPrefix("-") })
    for failure in replayed.failures { print("BROKEN \(failure)") }
    print("\(target.name): \(replayed.inputs) inputs replayed, \(replayed.failures.count) broke “\(target.property)”")
    exit(replayed.failures.isEmpty ? 0 : 1)
} catch {
    FileHandle.standardError.write(Data("mizan-fuzz: \(error)\n".utf8))
    exit(2)
}
