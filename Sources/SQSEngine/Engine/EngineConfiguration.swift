/// Tunables of the engine that are not SQS attributes.
public struct EngineConfiguration: Sendable {
    /// How often expired messages (past their MessageRetentionPeriod) are swept, in seconds.
    /// Expired messages are never delivered or counted even between sweeps.
    public var retentionSweepInterval: Int
    /// How long after DeleteQueue a queue of the same name cannot be created again
    /// (`QueueDeletedRecently`), in seconds: 60 as on AWS; 0 turns the check off for test suites
    /// that re-create queues at once.
    public var deletedQueueCooldown: Int

    /// Creates a configuration.
    public init(retentionSweepInterval: Int = 10, deletedQueueCooldown: Int = 60) {
        self.retentionSweepInterval = retentionSweepInterval
        self.deletedQueueCooldown = deletedQueueCooldown
    }
}
