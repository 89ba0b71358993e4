/// A verified signature: who signed the request, and the region its credential scope names.
public struct Authentication: Sendable, Equatable {
    /// The signer.
    public var caller: Caller
    /// The region of the credential scope (queues and ARNs are per region).
    public var region: String

    /// Creates an authentication.
    public init(caller: Caller, region: String) {
        self.caller = caller
        self.region = region
    }
}
