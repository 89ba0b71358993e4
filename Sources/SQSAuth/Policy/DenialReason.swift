/// Why a request was denied (the end of AWS's `AccessDenied` message).
public enum DenialReason: Sendable, Equatable {
    /// Nothing allows it ("because no identity-based policy allows the … action").
    case noIdentityPolicy
    /// Across accounts, the resource's policy does not allow it.
    case noResourcePolicy
    /// A `Deny` statement of the caller's policies.
    case explicitIdentityDeny
    /// A `Deny` statement of the resource's policy.
    case explicitResourceDeny
}
