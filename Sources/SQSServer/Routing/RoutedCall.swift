/// What the router learned about an API request while answering it: what the call record keeps
/// besides the status, the time and the body.
struct RoutedCall: Sendable {
    /// `sqs`, `lambda` or `logs`.
    var service: String
    /// The action or operation.
    var action: String
    /// The account it acted for.
    var account: String
    /// The caller's access key id.
    var principal: String
    /// The queue or function it named.
    var resource: String?
    /// The error code answered, if any.
    var errorCode: String?
    /// Whether `action` is one of the service's actions, not a name the request made up.
    var actionRecognized = false
}
