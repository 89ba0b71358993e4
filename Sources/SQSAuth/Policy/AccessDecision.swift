/// The outcome of an evaluation.
public enum AccessDecision: Sendable, Equatable {
    /// The request may go on.
    case allow
    /// The request is refused, and why.
    case deny(DenialReason)
}
