/// What an event-source mapping with `MetricsConfig: {"Metrics": ["EventCount"]}` counts, named
/// after Lambda's CloudWatch metrics for event-source mappings.
public enum MappingEvent: String, Sendable, CaseIterable {
    /// `PolledEventCount`: messages the mapping received from the queue.
    case polled = "PolledEventCount"
    /// `FilteredOutEventCount`: messages no filter matched (deleted without an invocation).
    case filteredOut = "FilteredOutEventCount"
    /// `InvokedEventCount`: messages sent to the function.
    case invoked = "InvokedEventCount"
    /// `FailedInvokeEventCount`: messages whose invocation failed or that the function reported as failed.
    case failedInvoke = "FailedInvokeEventCount"
    /// `DeletedEventCount`: messages deleted after the function processed them.
    case deleted = "DeletedEventCount"
}

/// Where a mapping's event counts go (the server's `/metrics`): mapping UUID, function name, what
/// happened, and to how many messages. Called from pollers; it must not block.
public typealias MappingEventSink = @Sendable (_ uuid: String, _ function: String, _ event: MappingEvent, _ count: Int) -> Void
