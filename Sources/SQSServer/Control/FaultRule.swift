import SQSAuth
import SQSLambda

/// One fault rule of the test controls: which requests it matches and what it does to them.
///
/// ```json
/// {"service": "sqs", "action": "SendMessage", "queue": "orders*", "probability": 0.3,
///  "error": "ThrottlingException", "latencyMs": [50, 500], "count": 10}
/// ```
/// - `service`: `sqs` (default), `lambda` or `logs`.
/// - `action`: the API action (`SendMessage`, `Invoke`, `PutLogEvents`), `*` globs allowed; any when absent.
/// - `queue` (SQS) or `function` (Lambda): the queue or function name, `*` globs allowed; any when absent.
/// - `probability`: the chance (0–1, default 1) that a matching request is affected.
/// - `error`: the AWS error answered, in the service's exact shape (see `GET /_sqslite/faults`'s `errors`).
/// - `message`: replaces AWS's message of that error.
/// - `latencyMs`: a delay before the request runs (or fails): a number, or `[min, max]` (uniform).
/// - `retryAfterSeconds`: adds a `Retry-After` header to the error.
/// - `count`: how many requests the rule affects; unlimited when absent.
/// - `invocations`: with `service: "lambda"` and `function`, makes the function's next `count`
///   invocations (by a mapping or Invoke) end as `error` or `timeout` instead of running.
///
/// At least one of `error`, `latencyMs` and `invocations` must be given. Rules are tried in the
/// order they were added; the first one that matches and fires (by its probability) applies.
public struct FaultRule: Sendable, Codable, Equatable {
    /// The server's id of the rule (`fault-1`, …).
    public var id: String
    /// `sqs`, `lambda` or `logs`.
    public var service: String
    /// The action pattern, or `nil` for any.
    public var action: String?
    /// The queue name pattern (SQS), or `nil` for any.
    public var queue: String?
    /// The function name pattern (Lambda), or `nil` for any.
    public var function: String?
    /// The chance a matching request is affected.
    public var probability: Double
    /// The error answered, if any.
    public var error: String?
    /// The message that replaces AWS's, if any.
    public var message: String?
    /// The delay in milliseconds: `[ms]` or `[min, max]`.
    public var latencyMs: [Int]?
    /// A `Retry-After` added to the error, in seconds.
    public var retryAfterSeconds: Int?
    /// How many requests it affects; `nil` for no limit.
    public var count: Int?
    /// For function faults: how the function's invocations end.
    public var invocations: InvocationFaultKind?
    /// How many requests (or invocations) it affected so far.
    public var hits: Int = 0
    /// How many requests matched it (fired or not, by probability).
    public var matched: Int = 0

    /// Whether it has used up its `count`.
    public var isSpent: Bool { count.map { hits >= $0 } ?? false }

    /// Whether it applies to a request of `service` calling `action` on `resource`.
    func matches(service: String, action: String, resource: String?) -> Bool {
        guard invocations == nil, service == self.service else { return false }
        if let pattern = self.action, !WildcardPattern.matches(Substring(pattern), Substring(action)) { return false }
        if let pattern = queue ?? function {
            guard let resource, WildcardPattern.matches(Substring(pattern), Substring(resource)) else { return false }
        }
        return true
    }

    /// A delay drawn from `latencyMs`, in milliseconds (0 without one).
    func drawLatency() -> Int {
        guard let range = latencyMs, let low = range.first else { return 0 }
        let high = range.count > 1 ? range[1] : low
        return high > low ? Int.random(in: low...high) : low
    }
}
