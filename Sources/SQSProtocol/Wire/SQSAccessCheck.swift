import SQSEngine

/// The authorization step of the auth mode for SQS: set on the ``RequestContext`` of an
/// authenticated request, asked by both protocol handlers once a request is decoded and before it
/// runs. When authentication is off, there is none and everything is allowed.
public protocol SQSAccessCheck: Sendable {
    /// `nil` when the caller may perform `action` on `resource`; otherwise AWS's `AccessDenied` message.
    func denial(of action: SQSAction, on resource: SQSResource) async -> String?
}

/// What an SQS action acts on, as IAM sees it: a queue, or (ListQueues) the account's queues in a region.
public enum SQSResource: Sendable, Equatable {
    /// A queue, e.g. `arn:aws:sqs:us-east-1:000000000000:orders`.
    case queue(QueueKey)
    /// An account's queues in a region (ListQueues): `arn:aws:sqs:<region>:<account>:`.
    case account(account: String, region: String)

    /// The resource's ARN, as denials name it.
    public var arn: String {
        switch self {
        case .queue(let key): key.arn
        case .account(let account, let region): "arn:aws:sqs:\(region):\(account):"
        }
    }

    /// The account that owns the resource.
    public var owner: String {
        switch self {
        case .queue(let key): key.account
        case .account(let account, _): account
        }
    }
}
