import SQSEngine

/// Who is calling and where: what a protocol handler needs besides the request body.
///
/// The server builds one per request from the HTTP headers (see ``SigV4Credential``) and the
/// `Host` header; handlers use it to resolve queue URLs and to build the URLs they return.
public struct RequestContext: Sendable {
    /// The 12-digit account the request acts for.
    public var account: String
    /// The region from the SigV4 credential scope, or the server's default region.
    public var region: String
    /// The scheme and authority queue URLs are built with, e.g. `http://localhost:9324`.
    public var baseURL: String
    /// The `SenderId` recorded on sent messages (the caller's access key, as AWS records a principal id).
    public var senderID: String
    /// The request id returned in `x-amzn-RequestId`.
    public var requestID: String
    /// The `X-Amzn-Trace-Id` header, recorded as the `AWSTraceHeader` system attribute when the
    /// request carries none of its own.
    public var traceHeader: String?
    /// The authorization step of the auth mode (`--auth`): asked before each action runs. `nil`
    /// (authentication off) allows everything.
    public var accessCheck: (any SQSAccessCheck)?

    /// Creates a context.
    public init(
        account: String, region: String, baseURL: String, senderID: String, requestID: String, traceHeader: String? = nil,
        accessCheck: (any SQSAccessCheck)? = nil
    ) {
        self.accessCheck = accessCheck
        self.account = account
        self.region = region
        self.baseURL = baseURL
        self.senderID = senderID
        self.requestID = requestID
        self.traceHeader = traceHeader
    }

    /// The URL of a queue as this caller sees it: `<baseURL>/<account>/<name>`.
    public func queueURL(_ key: QueueKey) -> String {
        "\(baseURL)/\(key.account)/\(key.name)"
    }

    /// The queue a `QueueUrl` parameter names: the last two path segments are the account and the
    /// name, whatever the host. A bare queue name (no `/`) means the caller's own account.
    /// - Throws: ``EngineError/queueDoesNotExist`` when the value is neither.
    public func queueKey(fromURL url: String) throws(EngineError) -> QueueKey {
        if url.isEmpty { throw EngineError.missingParameter("QueueUrl") }
        var path = Substring(url)
        if let scheme = path.firstRange(of: "://") {
            path = path[scheme.upperBound...]
            guard let slash = path.firstIndex(of: "/") else { throw EngineError.queueDoesNotExist }
            path = path[slash...]
        }
        if let query = path.firstIndex(where: { $0 == "?" || $0 == "#" }) {
            path = path[..<query]
        }
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        switch segments.count {
        case 1 where !url.contains("/"):
            return QueueKey(account: account, region: region, name: String(segments[0]))
        case 2...:
            let owner = segments[segments.count - 2]
            guard owner.count == 12, owner.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
                throw EngineError.queueDoesNotExist
            }
            return QueueKey(account: String(owner), region: region, name: String(segments[segments.count - 1]))
        default:
            throw EngineError.queueDoesNotExist
        }
    }
}
