import Foundation

/// The committed seed inputs of a target (`Fuzz/Corpus/NAME/`), and their
/// replay: what `swift test` and an ordinary `mizan-fuzz` run check.
public enum FuzzCorpus {
    /// Every file under the paths given (files, or directories read one level deep).
    public static func inputs(at paths: [String]) throws -> [(name: String, bytes: [UInt8])] {
        var inputs: [(String, [UInt8])] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                throw CocoaError(.fileNoSuchFile, userInfo: [NSFilePathErrorKey: path])
            }
            let files =
                isDirectory.boolValue
                ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 } : [path]
            for file in files {
                let data = try Data(contentsOf: URL(fileURLWithPath: file))
                inputs.append((file, [UInt8](data)))
            }
        }
        return inputs
    }

    /// Each input through the target's check: the broken properties, by file.
    public static func replay(_ target: FuzzTarget, paths: [String]) throws -> (inputs: Int, failures: [String]) {
        let inputs = try inputs(at: paths)
        let failures = inputs.compactMap { input in target.check(input.bytes).map { "\(input.name): \($0)" } }
        return (inputs.count, failures)
    }
}
