/// A request for permission: who wants to do what to which resource, and the request's context.
public struct AuthorizationRequest: Sendable {
    /// The caller.
    public var caller: Caller
    /// The IAM action, e.g. `sqs:SendMessage` (compared without case).
    public var action: String
    /// The resource ARN, e.g. `arn:aws:sqs:us-east-1:000000000000:orders`, or `*`.
    public var resource: String
    /// The account owning the resource; `nil` when it is the caller's.
    public var resourceAccount: String?
    /// Context keys besides those of the caller (`aws:SourceIp`, `aws:SecureTransport`,
    /// `aws:SourceArn`, …); names in any case.
    public var context: [String: [String]]

    /// Creates a request.
    public init(caller: Caller, action: String, resource: String, resourceAccount: String? = nil, context: [String: [String]] = [:]) {
        self.caller = caller
        self.action = action
        self.resource = resource
        self.resourceAccount = resourceAccount
        self.context = context
    }
}
