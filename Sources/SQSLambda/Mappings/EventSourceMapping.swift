/// An SQS event-source mapping: a queue whose messages are handed to a function in batches.
public struct EventSourceMapping: Sendable, Codable, Equatable {
    /// The mapping's id.
    public var uuid: String
    /// The queue's ARN.
    public var eventSourceArn: String
    /// The function's name.
    public var functionName: String
    /// The most messages per invocation (1–10,000; 10 for FIFO).
    public var batchSize: Int
    /// How long to gather a batch, in seconds (0–300).
    public var maximumBatchingWindowInSeconds: Int
    /// `["ReportBatchItemFailures"]` or empty.
    public var functionResponseTypes: [String]
    /// The most concurrent invocations (2–1,000), or `nil` for the default.
    public var maximumConcurrency: Int?
    /// Whether the mapping polls.
    public var enabled: Bool
    /// When the mapping last changed, epoch seconds.
    public var lastModified: Double
    /// What the last invocation did: `OK`, or `PROBLEM: …`.
    public var lastProcessingResult: String
    /// `FilterCriteria.Filters[].Pattern`, or `nil` for none (see ``SQSRecordFilter``).
    public var filterPatterns: [String]?
    /// `MetricsConfig.Metrics` (`EventCount`), or `nil`.
    public var metrics: [String]?
    /// `ProvisionedPollerConfig.MinimumPollers`.
    public var minimumPollers: Int?
    /// `ProvisionedPollerConfig.MaximumPollers`.
    public var maximumPollers: Int?

    /// The State Lambda reports once a change has been applied: `Enabled` or `Disabled`.
    public var state: String { enabled ? "Enabled" : "Disabled" }

    /// How many pollers run (each runs one invocation at a time): `MaximumConcurrency` when set,
    /// otherwise the provisioned minimum or the default, never above the provisioned maximum.
    public var pollerCount: Int {
        if let maximumConcurrency { return maximumConcurrency }
        let wanted = max(minimumPollers ?? 0, EventSourceMappingManager.defaultConcurrency)
        return min(wanted, maximumPollers ?? wanted)
    }

    /// Whether the function reports partial batch failures.
    public var reportsBatchItemFailures: Bool { functionResponseTypes.contains("ReportBatchItemFailures") }

    /// Creates a mapping.
    public init(
        uuid: String, eventSourceArn: String, functionName: String, batchSize: Int = 10, maximumBatchingWindowInSeconds: Int = 0,
        functionResponseTypes: [String] = [], maximumConcurrency: Int? = nil, enabled: Bool = true, lastModified: Double = 0,
        lastProcessingResult: String = "No records processed"
    ) {
        self.uuid = uuid
        self.eventSourceArn = eventSourceArn
        self.functionName = functionName
        self.batchSize = batchSize
        self.maximumBatchingWindowInSeconds = maximumBatchingWindowInSeconds
        self.functionResponseTypes = functionResponseTypes
        self.maximumConcurrency = maximumConcurrency
        self.enabled = enabled
        self.lastModified = lastModified
        self.lastProcessingResult = lastProcessingResult
    }
}

/// The settable fields of a mapping, for create and update (`nil` = unchanged / default).
public struct EventSourceMappingSettings: Sendable {
    public var batchSize: Int?
    public var maximumBatchingWindowInSeconds: Int?
    public var functionResponseTypes: [String]?
    /// `.some(nil)` clears the limit.
    public var maximumConcurrency: Int??
    public var enabled: Bool?
    public var functionName: String?
    /// Filter patterns; an empty list clears them.
    public var filterPatterns: [String]?
    /// `MetricsConfig.Metrics`; an empty list clears them.
    public var metrics: [String]?
    /// `ProvisionedPollerConfig` (minimum, maximum); `.some((nil, nil))` clears it.
    public var provisionedPollers: (minimum: Int?, maximum: Int?)?

    /// Creates settings.
    public init(
        batchSize: Int? = nil, maximumBatchingWindowInSeconds: Int? = nil, functionResponseTypes: [String]? = nil,
        maximumConcurrency: Int?? = nil, enabled: Bool? = nil, functionName: String? = nil, filterPatterns: [String]? = nil,
        metrics: [String]? = nil, provisionedPollers: (minimum: Int?, maximum: Int?)? = nil
    ) {
        self.filterPatterns = filterPatterns
        self.metrics = metrics
        self.provisionedPollers = provisionedPollers
        self.batchSize = batchSize
        self.maximumBatchingWindowInSeconds = maximumBatchingWindowInSeconds
        self.functionResponseTypes = functionResponseTypes
        self.maximumConcurrency = maximumConcurrency
        self.enabled = enabled
        self.functionName = functionName
    }
}
