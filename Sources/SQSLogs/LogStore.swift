import Dispatch
import Foundation
import Logging
import SQSStore

/// CloudWatch Logs' groups, streams and events, kept in SQLite: `logs.db` in the data folder, or
/// a private in-memory database for `--in-memory`.
///
/// ## Sendable
/// The connection is used only on ``queue``, a serial Dispatch queue: async callers hop onto it
/// through a continuation, so no cooperative thread or event loop ever waits on SQLite. That
/// confinement is what the `@unchecked Sendable` promises.
public final class LogStore: @unchecked Sendable {
    private let queue = DispatchQueue(label: "sqslite.logs.store")
    let database: LogDatabase
    private let logger: Logger

    /// Opens (creating if needed) the database at `path`, in memory when `path` is `nil`.
    /// - Parameter now: The clock, in milliseconds since the epoch (tests pass a fixed one).
    public init(path: String?, logger: Logger, now: @escaping @Sendable () -> Int64 = LogStore.systemNow) throws {
        self.database = try LogDatabase(path: path, now: now)
        self.logger = logger
    }

    /// Milliseconds since the epoch.
    public static let systemNow: @Sendable () -> Int64 = { Int64((Date().timeIntervalSince1970 * 1000).rounded(.down)) }

    /// Runs `body` on the store's queue.
    func perform<T: Sendable>(_ body: @escaping @Sendable (LogDatabase) throws -> T) async throws(LogsError) -> T {
        let result: Result<T, LogsError> = await withCheckedContinuation { continuation in
            queue.async { [database] in
                do {
                    continuation.resume(returning: .success(try body(database)))
                } catch let error as LogsError {
                    continuation.resume(returning: .failure(error))
                } catch {
                    continuation.resume(returning: .failure(.storage(error)))
                }
            }
        }
        return try result.get()
    }

    /// Appends lines to a stream without waiting, creating the group and the stream when missing
    /// (how Lambda writes `/aws/lambda/<function>`). Events are stored in the order of the calls.
    public func append(group: String, stream: String, events: [InputLogEvent]) {
        guard !events.isEmpty else { return }
        queue.async { [database, logger] in
            do {
                try database.append(group: group, stream: stream, events: events)
            } catch {
                logger.warning("cannot store log events", metadata: ["logGroup": "\(group)", "error": "\(error)"])
            }
        }
    }

    /// Waits until every `append` made so far is stored.
    public func flush() async {
        await withCheckedContinuation { continuation in queue.async { continuation.resume() } }
    }

    /// Deletes every log group with its streams and events, in one transaction (test suites' reset).
    /// Returns the number of groups deleted.
    @discardableResult
    public func deleteEverything() async throws(LogsError) -> Int {
        try await perform { database in try database.deleteEverything() }
    }
}
