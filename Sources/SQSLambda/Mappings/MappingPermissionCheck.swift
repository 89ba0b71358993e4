import SQSEngine

/// What an event-source mapping's function may do to its queue, with `--auth`: Lambda polls with
/// the function's execution role, which needs `sqs:ReceiveMessage`, `sqs:DeleteMessage` and
/// `sqs:GetQueueAttributes` on the queue.
public protocol MappingPermissionCheck: Sendable {
    /// The first of `ReceiveMessage`, `DeleteMessage`, `GetQueueAttributes` the function's role may
    /// not call on the queue, or `nil` when it may call them all (or the function has no role).
    func missingPermission(function: FunctionConfiguration, queue: QueueKey) async -> String?
}
