/// An event-source mapping the config file declares.
public struct MappingDefinition: Sendable, Equatable {
    /// The queue: a name in the default account and region, or an ARN.
    public var queue: String
    /// The function name.
    public var function: String
    public var batchSize: Int?
    public var maximumBatchingWindowInSeconds: Int?
    public var functionResponseTypes: [String]?
    public var maximumConcurrency: Int?
    public var enabled: Bool?
    /// The line of the entry.
    public var line: Int

    /// Creates a definition.
    public init(
        queue: String, function: String, batchSize: Int? = nil, maximumBatchingWindowInSeconds: Int? = nil,
        functionResponseTypes: [String]? = nil, maximumConcurrency: Int? = nil, enabled: Bool? = nil, line: Int = 0
    ) {
        self.queue = queue
        self.function = function
        self.batchSize = batchSize
        self.maximumBatchingWindowInSeconds = maximumBatchingWindowInSeconds
        self.functionResponseTypes = functionResponseTypes
        self.maximumConcurrency = maximumConcurrency
        self.enabled = enabled
        self.line = line
    }
}
