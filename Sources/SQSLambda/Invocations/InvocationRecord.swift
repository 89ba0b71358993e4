/// One finished invocation, as the admin page and the logs show it.
public struct InvocationRecord: Sendable, Identifiable {
    /// How the invocation ended, in one word.
    public enum Status: String, Sendable {
        /// The function succeeded and the whole batch (if any) was deleted.
        case success
        /// The function succeeded but reported some batch items as failed.
        case partialFailure
        /// The function raised or reported an error.
        case error
        /// The function did not finish in time.
        case timeout
    }

    /// A sequential id, increasing.
    public var id: Int
    /// The function invoked.
    public var functionName: String
    /// The event-source mapping that invoked it, or `nil` for a direct Invoke.
    public var mappingUUID: String?
    /// The Lambda request id.
    public var requestID: String
    /// The number of SQS records in the event (0 for a direct Invoke).
    public var batchSize: Int
    /// When the invocation started, epoch milliseconds.
    public var startedAt: Int64
    /// How long it took, in milliseconds.
    public var durationMilliseconds: Int64
    /// How it ended.
    public var status: Status
    /// The error type and message, when it failed.
    public var error: String?
    /// The event (truncated to a bounded size).
    public var event: String
    /// The response or error document (truncated to a bounded size).
    public var response: String
    /// What the function printed.
    public var logLines: [String]
    /// The MessageIds of the SQS records in the event (empty for a direct Invoke).
    public var messageIDs: [String] = []
}
