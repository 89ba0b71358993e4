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

    // MARK: - Functions

    /// The largest zip uploaded in the request (`ZipFile`): 50 MB.
    public static let zippedCodeSize = 52_428_800
    /// The most the code may take once unzipped: 250 MB.
    public static let unzippedCodeSize = 262_144_000
    /// The largest CreateFunction / UpdateFunctionCode request body (the zip in base64, and JSON around it).
    public static let codeRequestSize = 69_905_067
    /// The most entries (files, folders, links) a zip may hold: sqslite's bound against zip bombs
    /// made of empty files.
    public static let archiveEntries = 100_000
    /// The environment variables, as compact JSON: 4 KB.
    public static let environmentSize = 4096
    /// `Timeout`, in seconds.
    public static let timeout = 1...900
    /// `MemorySize`, in MB.
    public static let memorySize = 128...10_240
    /// `Description`, in characters.
    public static let descriptionLength = 256
    /// A function name (not an ARN), in characters.
    public static let functionNameLength = 64
    /// Tags per function.
    public static let tagsPerFunction = 50
    /// The account's concurrency: reserved concurrency is taken from it.
    public static let accountConcurrency = 1000
    /// What reserved concurrency must leave to the other functions.
    public static let minimumUnreservedConcurrency = 100

    // MARK: - Event-source mappings

    /// Filters per mapping (`FilterCriteria.Filters`).
    public static let filtersPerMapping = 5
    /// The characters of one filter pattern.
    public static let patternLength = 4096
    /// `ScalingConfig.MaximumConcurrency`.
    public static let maximumConcurrency = 2...1000
    /// `ProvisionedPollerConfig.MinimumPollers` for SQS.
    public static let minimumPollers = 2...200
    /// `ProvisionedPollerConfig.MaximumPollers` for SQS.
    public static let maximumPollers = 2...2000
}
