/// A service whose state a test suite can reset (`POST /_sqslite/reset`).
///
/// sqslite registers its own (SQS, Lambda, Logs) in ``ResetRegistry``; another service on the same
/// port (a mailbox, say) plugs in by registering one more.
public protocol ResettableService: Sendable {
    /// The name `?service=` selects it by (`sqs`, `lambda`, `logs`, …).
    var name: String { get }
    /// Deletes everything it holds, in one transaction where it has a database. Returns a short
    /// count of what was deleted (`{"queues": 3, "messages": 120}`).
    func resetAll() async throws -> [String: Int]
    /// Deletes what belongs to one resource (a queue name), if the service knows it; `nil` when the
    /// service has nothing by that name.
    func reset(resource: String) async throws -> [String: Int]?
}

extension ResettableService {
    public func reset(resource: String) async throws -> [String: Int]? { nil }
}
