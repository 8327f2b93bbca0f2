public import MizanYAML

/// Reading a key by its declaration, so its name is written once.
extension StrictMapping {
    public func string(_ key: ConfigurationKey) throws(YAMLError) -> String? { try string(key.name) }
    public func requiredString(_ key: ConfigurationKey) throws(YAMLError) -> String { try requiredString(key.name) }
    public func integer(_ key: ConfigurationKey) throws(YAMLError) -> Int64? { try integer(key.name) }
    public func bool(_ key: ConfigurationKey) throws(YAMLError) -> Bool? { try bool(key.name) }
    public func milliseconds(_ key: ConfigurationKey) throws(YAMLError) -> Duration? { try milliseconds(key.name) }
    public func error(_ key: ConfigurationKey, _ message: String) -> YAMLError { error(key.name, message) }
}
