/// Why a reset was refused.
public struct ResetError: Error, CustomStringConvertible {
    /// The reason, in a sentence.
    public var description: String
    /// Whether the named thing does not exist (a 404).
    public var notFound: Bool

    init(_ description: String, notFound: Bool = false) {
        self.description = description
        self.notFound = notFound
    }
}
