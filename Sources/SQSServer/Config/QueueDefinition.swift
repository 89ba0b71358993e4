/// One queue the config file creates at startup.
public struct QueueDefinition: Sendable, Equatable {
    /// The queue name.
    public var name: String
    /// Attributes as SQS takes them (every value a string; JSON-valued ones as compact JSON).
    public var attributes: [String: String]
    /// Tags.
    public var tags: [String: String]
    /// The 1-based line of the queue's entry.
    public var line: Int
    /// The line of each attribute's key, to point errors the engine finds at the right line.
    public var attributeLines: [String: Int]
    /// Whether the queue's message lifecycle goes to the log group `/sqslite/<queue>` (`logs: true`),
    /// as `--queue-logs` does for every queue.
    public var logs = false

    /// Creates a definition.
    public init(name: String, attributes: [String: String] = [:], tags: [String: String] = [:], line: Int = 0, attributeLines: [String: Int] = [:]) {
        self.name = name
        self.attributes = attributes
        self.tags = tags
        self.line = line
        self.attributeLines = attributeLines
    }
}
