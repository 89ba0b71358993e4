/// The names of sqslite's Prometheus metrics, and the `# HELP` text that gives each one's
/// CloudWatch name.
///
/// SQS metrics are CloudWatch's names in Prometheus' snake case with the `sqs_` prefix and a unit
/// suffix (`NumberOfMessagesSent` is `sqs_number_of_messages_sent_total`); Lambda's get `lambda_`.
enum MetricName {
    static let sent = "sqs_number_of_messages_sent_total"
    static let received = "sqs_number_of_messages_received_total"
    static let deleted = "sqs_number_of_messages_deleted_total"
    static let emptyReceives = "sqs_number_of_empty_receives_total"
    static let sentSize = "sqs_sent_message_size_bytes"
    static let visible = "sqs_approximate_number_of_messages_visible"
    static let notVisible = "sqs_approximate_number_of_messages_not_visible"
    static let delayed = "sqs_approximate_number_of_messages_delayed"
    static let oldest = "sqs_approximate_age_of_oldest_message_seconds"
    static let invocations = "lambda_invocations_total"
    static let errors = "lambda_errors_total"
    static let throttles = "lambda_throttles_total"
    static let duration = "lambda_duration_seconds"
    /// An event-source mapping's event counts (`MetricsConfig` `EventCount`), by ``SQSLambda/MappingEvent``.
    static let mappingEvents: [String: String] = [
        "PolledEventCount": "lambda_polled_event_count_total", "FilteredOutEventCount": "lambda_filtered_out_event_count_total",
        "InvokedEventCount": "lambda_invoked_event_count_total", "FailedInvokeEventCount": "lambda_failed_invoke_event_count_total",
        "DeletedEventCount": "lambda_deleted_event_count_total",
    ]
    static let requests = "sqslite_http_requests_total"
    static let requestDuration = "sqslite_http_request_duration_seconds"

    /// The `# HELP` line of each metric: its CloudWatch name first.
    static let help: [String: String] = [
        sent: "NumberOfMessagesSent: messages added to the queue by SendMessage and SendMessageBatch.",
        received: "NumberOfMessagesReceived: messages returned by ReceiveMessage.",
        deleted: "NumberOfMessagesDeleted: messages deleted by DeleteMessage and DeleteMessageBatch.",
        emptyReceives: "NumberOfEmptyReceives: ReceiveMessage calls that returned no message.",
        sentSize: "SentMessageSize: size of sent messages (body plus attributes) in bytes.",
        visible: "ApproximateNumberOfMessagesVisible: messages available for retrieval.",
        notVisible: "ApproximateNumberOfMessagesNotVisible: messages in flight.",
        delayed: "ApproximateNumberOfMessagesDelayed: messages delayed and not yet visible.",
        oldest: "ApproximateAgeOfOldestMessage: age of the oldest message in the queue in seconds.",
        invocations: "Invocations: function invocations, by event-source mappings and the Invoke API.",
        errors: "Errors: invocations that ended in a function error or a timeout.",
        throttles: "Throttles: throttled invocations (sqslite waits for a free process instead, so always 0).",
        duration: "Duration: time spent in the function in seconds.",
        requests: "HTTP requests by SQS action (or route) and status.",
        requestDuration: "HTTP request latency by SQS action (or route) in seconds.",
    ]

    /// The `# HELP` lines of the mapping event counts.
    static let mappingHelp: [String: String] = [
        "lambda_polled_event_count_total": "PolledEventCount: messages an event-source mapping received (MetricsConfig EventCount).",
        "lambda_filtered_out_event_count_total": "FilteredOutEventCount: messages no filter of the mapping matched, deleted without an invocation.",
        "lambda_invoked_event_count_total": "InvokedEventCount: messages the mapping sent to its function.",
        "lambda_failed_invoke_event_count_total": "FailedInvokeEventCount: messages whose invocation failed or that the function reported as failed.",
        "lambda_deleted_event_count_total": "DeletedEventCount: messages the mapping deleted after the function processed them.",
    ]

    /// `text` (Prometheus' exposition format) with a `# HELP` line before each family's `# TYPE` line.
    static func addingHelp(to text: [UInt8]) -> [UInt8] {
        let typePrefix = Array("# TYPE ".utf8)
        var output: [UInt8] = []
        output.reserveCapacity(text.count + help.count * 80)
        for line in text.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
            if line.starts(with: typePrefix) {
                let name = String(decoding: line.dropFirst(typePrefix.count).prefix { $0 != UInt8(ascii: " ") }, as: UTF8.self)
                if let text = help[name] ?? mappingHelp[name] {
                    output.append(contentsOf: "# HELP \(name) \(text)\n".utf8)
                }
            }
            output.append(contentsOf: line)
            output.append(UInt8(ascii: "\n"))
        }
        if text.last == UInt8(ascii: "\n") || text.isEmpty { output.removeLast() }
        return output
    }
}
