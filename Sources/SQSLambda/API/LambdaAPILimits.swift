/// The Lambda API's limits, as AWS documents them ("Lambda quotas"), and sqslite's own bounds.
public enum LambdaAPILimits {
    /// The largest synchronous (`RequestResponse`) Invoke payload: 6 MB.
    public static let synchronousPayload = 6_291_456
    /// The largest asynchronous (`Event`) Invoke payload: 1 MB.
    public static let asynchronousPayload = 1_048_576
    /// ListEventSourceMappings' and ListFunctions' `MaxItems`: 1 to 10,000.
    public static let maxItems = 1...10_000
    /// The page size when `MaxItems` is not given.
    public static let defaultMaxItems = 100
}
