/// Why the server could not start: a message for a person, printed by the CLI before it exits.
public struct StartupError: Error, Sendable, CustomStringConvertible {
    /// The explanation, naming the file, key and line where there is one.
    public var description: String

    /// Creates an error.
    public init(_ description: String) {
        self.description = description
    }
}
