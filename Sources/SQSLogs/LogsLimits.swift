/// CloudWatch Logs' quotas and rules, in one place.
public enum LogsLimits {
    /// The values `PutRetentionPolicy` accepts for `retentionInDays`.
    public static let retentionDays: [Int] = [
        1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
    ]
    /// Events older than this (before now) are rejected as too old: 14 days.
    public static let maxEventAgeMilliseconds: Int64 = 14 * 24 * 3_600_000
    /// Events later than this (after now) are rejected as too new: 2 hours.
    public static let maxEventFutureMilliseconds: Int64 = 2 * 3_600_000
    /// The most events in one `PutLogEvents` call.
    public static let maxBatchEvents = 10_000
    /// The default and largest `limit` of `GetLogEvents` and `FilterLogEvents`.
    public static let maxEventsPerPage = 10_000
    /// The default and largest `limit` of `DescribeLogGroups` and `DescribeLogStreams`.
    public static let maxDescribePage = 50
    /// The longest log group and log stream name.
    public static let maxNameLength = 512
    /// The most server-written lines (function and queue logs) waiting to be stored; more are dropped.
    public static let maxPendingLines = 100_000
    /// How often, at most, the server's own appends delete a group's expired events.
    static let expiryIntervalMilliseconds: Int64 = 60_000
    /// The groups the server writes itself, bounded by the default retention when they have no policy.
    public static let serverGroupPrefixes = ["/aws/lambda/", "/sqslite/"]
    /// The most events one poll of the admin page's live tail looks at.
    public static let maxTailScan = 100_000
    /// One day in milliseconds.
    static let dayMilliseconds: Int64 = 86_400_000
}
