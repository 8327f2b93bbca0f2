/// Seeds for property tests: fixed, so a failure is reproducible from the
/// seed it names.
let propertySeeds: [UInt64] = Array(1...40)
