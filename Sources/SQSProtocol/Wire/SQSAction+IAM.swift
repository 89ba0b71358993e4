extension SQSAction {
    /// The IAM action a request needs, e.g. `sqs:SendMessage`. Batch actions need their single
    /// action's permission: SendMessageBatch `sqs:SendMessage`, DeleteMessageBatch
    /// `sqs:DeleteMessage`, ChangeMessageVisibilityBatch `sqs:ChangeMessageVisibility`.
    public var iamAction: String {
        switch self {
        case .sendMessageBatch: "sqs:SendMessage"
        case .deleteMessageBatch: "sqs:DeleteMessage"
        case .changeMessageVisibilityBatch: "sqs:ChangeMessageVisibility"
        default: "sqs:\(rawValue)"
        }
    }

    /// The action as SQS writes it in an `AccessDenied` message: in lower case (`sqs:sendmessage`).
    public var deniedActionName: String { iamAction.lowercased() }
}
