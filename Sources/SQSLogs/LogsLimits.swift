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
    /// One day in milliseconds.
    static let dayMilliseconds: Int64 = 86_400_000
}
