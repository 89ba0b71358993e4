/// Tunables of the engine that are not SQS attributes.
public struct EngineConfiguration: Sendable {
    /// How often expired messages (past their MessageRetentionPeriod) are swept, in seconds.
    /// Expired messages are never delivered or counted even between sweeps.
    public var retentionSweepInterval: Int

    /// Creates a configuration.
    public init(retentionSweepInterval: Int = 10) {
        self.retentionSweepInterval = retentionSweepInterval
    }
}
