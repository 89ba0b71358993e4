/// A config error in the principals (duplicate names or keys, a key without a secret).
public struct AuthConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(_ message: String) {
        self.message = message
    }

    public var description: String { message }
}
