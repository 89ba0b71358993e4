/// The request being served, for log lines: the protocol layer binds it around each action, and
/// the engine's log lines carry it, so one message's life can be followed with grep.
public enum RequestTrace {
    /// The `x-amzn-RequestId` of the request this task serves, if any.
    @TaskLocal public static var requestID: String?
}
