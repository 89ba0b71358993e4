import Dispatch
import Logging

/// SNS's topics, subscriptions and pending deliveries: in memory for lookups, in SQLite for
/// durability (`sns.db` in the data folder, or a private in-memory database for `--in-memory`).
///
/// Every change is written to SQLite before the call that made it returns, so a message that
/// Publish accepted reaches its subscriptions even after a `kill -9`: its deliveries are
/// reloaded at startup (``pendingDeliveries()``).
///
/// ## Sendable
/// The state and the connection are used only on ``queue``, a serial Dispatch queue: async
/// callers hop onto it through a continuation, so no cooperative thread or event loop waits on
/// SQLite. That confinement is what the `@unchecked Sendable` promises.
public final class SNSStore: @unchecked Sendable {
    private let queue = DispatchQueue(label: "sqslite.sns.store")
    let database: SNSDatabase
    let state = SNSState()

    /// Opens (creating if needed) the database at `path`, in memory when `path` is `nil`, and
    /// loads its topics and subscriptions.
    public init(path: String?) throws {
        database = try SNSDatabase(path: path)
        try database.load(into: state)
    }

    /// Runs `body` on the store's queue with the state and the database.
    func perform<T: Sendable>(_ body: @escaping @Sendable (SNSState, SNSDatabase) throws -> T) async throws(SNSError) -> T {
        let result: Result<T, SNSError> = await withCheckedContinuation { continuation in
            queue.async { [state, database] in
                do {
                    continuation.resume(returning: .success(try body(state, database)))
                } catch let error as SNSError {
                    continuation.resume(returning: .failure(error))
                } catch {
                    continuation.resume(returning: .failure(.storage(error)))
                }
            }
        }
        return try result.get()
    }

    /// The deliveries still to make (after a restart, those a crash interrupted).
    public func pendingDeliveries() async throws(SNSError) -> [DeliveryRecord] {
        try await perform { _, database in try database.pendingDeliveries() }
    }

    /// The most recent finished deliveries, newest first.
    public func recentDeliveries(limit: Int = SNSLimits.recentDeliveries) async throws(SNSError) -> [DeliveryLogEntry] {
        try await perform { _, database in try database.recentDeliveries(limit: limit) }
    }

    /// Every topic, by ARN.
    public func topics() async throws(SNSError) -> [Topic] {
        try await perform { state, _ in state.topics.values.sorted { $0.arn < $1.arn } }
    }

    /// Every subscription of a topic, oldest first.
    public func subscriptions(of topicArn: String) async throws(SNSError) -> [Subscription] {
        try await perform { state, _ in state.subscriptions(of: topicArn) }
    }
}
