import Logging
import ServiceLifecycle

/// Returns freed heap memory to the system every few seconds (``MallocSettings/trim()``), until
/// graceful shutdown; `sqslite serve` runs it (``ServerOptions/trimsMemory``).
///
/// Freeing a large backlog (a purge, a deleted queue, a drained queue) leaves free pages between
/// the blocks still in use, which glibc keeps until asked. On an idle heap a trim takes
/// microseconds; it never blocks an event loop (it runs on the concurrency pool).
struct MemoryTrimmer: Service {
    /// Seconds between trims.
    static let interval = 10

    let logger: Logger

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                try await cancelWhenGracefulShutdown {
                    try await Task.sleep(for: .seconds(Self.interval))
                }
            } catch {
                break
            }
            let start = ContinuousClock.now
            let released = MallocSettings.trim()
            if released {
                logger.trace("Returned free heap pages", metadata: ["duration": "\(ContinuousClock.now - start)"])
            }
        }
    }
}
