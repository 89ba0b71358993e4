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
struct FaultRule: Sendable, Codable, Equatable {
    var id: String
    var service: String
    var action: String?
    var queue: String?
    var function: String?
    var probability: Double
    var error: String?
    var message: String?
    var latencyMs: [Int]?
    var retryAfterSeconds: Int?
    var count: Int?
    var invocations: InvocationFaultKind?
    /// How many requests (or invocations) it affected so far.
    var hits: Int = 0
    /// How many requests matched it (fired or not, by probability).
    var matched: Int = 0

    /// Whether it has used up its `count`.
    var isSpent: Bool { count.map { hits >= $0 } ?? false }

    /// Whether it applies to a request of `service` calling `action` on `resource`.
    func matches(service: String, action: String, resource: String?) -> Bool {
        guard invocations == nil, service == self.service else { return false }
        if let pattern = self.action, !Glob.matches(pattern, action) { return false }
        if let pattern = queue ?? function {
            guard let resource, Glob.matches(pattern, resource) else { return false }
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
