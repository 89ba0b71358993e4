/// A message move task (StartMessageMoveTask): moves messages out of a dead-letter queue.
public struct MoveTaskRecord: Sendable, Equatable {
    /// The task's status, as ListMessageMoveTasks reports it.
    public enum Status: String, Sendable {
        case running = "RUNNING"
        case completed = "COMPLETED"
        case cancelling = "CANCELLING"
        case cancelled = "CANCELLED"
        case failed = "FAILED"
    }

    /// The task id (a UUID), part of the task handle.
    public var taskID: String
    /// The dead-letter queue messages move out of.
    public var sourceArn: String
    /// The queue they move to; `nil` means each message's original source queue.
    public var destinationArn: String?
    /// The rate limit, if one was given.
    public var maxNumberOfMessagesPerSecond: Int?
    /// The status.
    public var status: Status
    /// When the task started.
    public var startedAt: Timestamp
    /// Messages moved so far.
    public var moved: Int
    /// Messages in the source queue when the task started.
    public var toMove: Int
    /// Why the task failed (an SQS error code), if it did.
    public var failureReason: String?

    /// Creates a record.
    public init(
        taskID: String, sourceArn: String, destinationArn: String?, maxNumberOfMessagesPerSecond: Int?, status: Status,
        startedAt: Timestamp, moved: Int = 0, toMove: Int, failureReason: String? = nil
    ) {
        self.taskID = taskID
        self.sourceArn = sourceArn
        self.destinationArn = destinationArn
        self.maxNumberOfMessagesPerSecond = maxNumberOfMessagesPerSecond
        self.status = status
        self.startedAt = startedAt
        self.moved = moved
        self.toMove = toMove
        self.failureReason = failureReason
    }
}
