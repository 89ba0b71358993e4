/// The limits and defaults of the test controls (`/_sqslite/…`), in one place.
public enum TestControlLimits {
    /// Calls kept in the call record unless `--call-record-size` says otherwise.
    public static let defaultCallRecordSize = 1000
    /// The largest call record (`--call-record-size`).
    public static let maxCallRecordSize = 1_000_000
    /// The most bytes of a request body kept in a call record entry (with `--record-call-bodies`).
    public static let maxRecordedBodyBytes = 16 * 1024
    /// The most calls one `GET /_sqslite/calls` returns unless `limit` says otherwise.
    public static let defaultCallPageSize = 1000
    /// The most fault rules at once.
    public static let maxFaultRules = 1000
    /// The longest injected latency, in milliseconds.
    public static let maxLatencyMilliseconds = 120_000
    /// The largest `Retry-After` a rule may add, in seconds.
    public static let maxRetryAfterSeconds = 3600
    /// The largest clock advance in one call, in seconds (about 100 years).
    public static let maxAdvanceSeconds: Double = 100 * 366 * 86400
    /// The largest control request body, in bytes.
    public static let maxControlBodyBytes = 64 * 1024
    /// The services a fault rule or a reset may name.
    public static let faultServices = ["sqs", "lambda", "logs"]
}
