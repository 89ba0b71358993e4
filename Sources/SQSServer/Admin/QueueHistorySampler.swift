import ServiceLifecycle
import SQSEngine

/// Samples every queue's depth into a ``QueueHistory`` once a minute, until graceful shutdown.
public struct QueueHistorySampler: Service {
    let engine: QueueEngine
    let history: QueueHistory
    /// Seconds between samples.
    let interval: Int

    /// Creates a sampler (one sample every `interval` seconds; 60 for the charts' minutes).
    public init(engine: QueueEngine, history: QueueHistory, interval: Int = 60) {
        self.engine = engine
        self.history = history
        self.interval = interval
    }

    /// Samples now, then every `interval` seconds.
    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let summaries = await engine.queueSummaries()
            history.sampleDepth(
                Dictionary(
                    summaries.map { ($0.key, QueueHistory.Depth(visible: $0.visible, inFlight: $0.inFlight, delayed: $0.delayed)) },
                    uniquingKeysWith: { first, _ in first }))
            do {
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: .seconds(interval))
                }
            } catch {
                break
            }
        }
    }
}
