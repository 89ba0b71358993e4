/// What a request gets when it does not say: the account, the region and the host for queue URLs.
public struct ServerDefaults: Sendable {
    /// The account of requests whose access key is not a 12-digit number.
    public var account: String
    /// The region of requests without a SigV4 credential scope.
    public var region: String
    /// `host:port` for queue URLs when a request has no `Host` header.
    public var authority: String

    /// Creates defaults.
    public init(account: String = "000000000000", region: String = "us-east-1", authority: String = "localhost:9324") {
        self.account = account
        self.region = region
        self.authority = authority
    }
}
