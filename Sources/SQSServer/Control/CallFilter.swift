/// Which recorded calls `GET /_sqslite/calls` returns: every given field must match.
public struct CallFilter: Sendable, Equatable {
    /// The service (`sqs`, `lambda`, `logs`).
    public var service: String?
    /// The action, exactly.
    public var action: String?
    /// The queue or function name, exactly.
    public var resource: String?
    /// Only calls at or after this time (epoch milliseconds on the server's clock).
    public var since: Int64?
    /// Only calls with a larger id.
    public var afterID: Int?
    /// At most this many, the oldest first.
    public var limit: Int

    /// Creates a filter (no field: every call, up to `limit`).
    public init(
        service: String? = nil, action: String? = nil, resource: String? = nil, since: Int64? = nil, afterID: Int? = nil,
        limit: Int = TestControlLimits.defaultCallPageSize
    ) {
        self.service = service
        self.action = action
        self.resource = resource
        self.since = since
        self.afterID = afterID
        self.limit = limit
    }

    /// Whether `call` passes.
    func admits(_ call: CallRecord) -> Bool {
        (service == nil || call.service == service) && (action == nil || call.action == action)
            && (resource == nil || call.resource == resource) && (since.map { call.time >= $0 } ?? true)
            && (afterID.map { call.id > $0 } ?? true)
    }
}
