/// The engine's source of time.
///
/// Every timing rule of SQS (visibility timeouts, delays, retention, long-poll deadlines, the purge
/// interval) reads `now()` and waits with `sleep(until:)`, so tests inject a ``ManualClock`` and move
/// time forward without sleeping.
public protocol EngineClock: Sendable {
    /// The current wall-clock time.
    func now() -> Timestamp
    /// Suspends until `deadline` (or returns at once if it has passed). Throws `CancellationError` when cancelled.
    func sleep(until deadline: Timestamp) async throws
}
