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

    /// Where the authority starts, after the first `://`, if there is one.
    private static func schemeEnd(_ bytes: String.UTF8View) -> String.Index? {
        var index = bytes.startIndex
        while let colon = bytes[index...].firstIndex(of: UInt8(ascii: ":")) {
            let first = bytes.index(after: colon)
            guard first < bytes.endIndex else { return nil }
            let second = bytes.index(after: first)
            if second < bytes.endIndex, bytes[first] == UInt8(ascii: "/"), bytes[second] == UInt8(ascii: "/") {
                return bytes.index(after: second)
            }
            index = first
        }
        return nil
    }

    /// The URL of a queue as this caller sees it: `<baseURL>/<account>/<name>`.
    public func queueURL(_ key: QueueKey) -> String {
        "\(baseURL)/\(key.account)/\(key.name)"
    }

    /// The queue a `QueueUrl` parameter names: the last two path segments are the account and the
    /// name, whatever the host. A bare queue name (no `/`) means the caller's own account.
    /// - Throws: ``EngineError/queueDoesNotExist`` when the value is neither.
    ///
    /// Read on the URL's UTF-8 bytes (every SQS request resolves one, some twice).
    public func queueKey(fromURL url: String) throws(EngineError) -> QueueKey {
        if url.isEmpty { throw EngineError.missingParameter("QueueUrl") }
        let bytes = url.utf8
        let slash = UInt8(ascii: "/")
        var start = bytes.startIndex
        var end = bytes.endIndex
        if let scheme = Self.schemeEnd(bytes) {
            guard let path = bytes[scheme...].firstIndex(of: slash) else { throw EngineError.queueDoesNotExist }
            start = path
        }
        if let query = bytes[start...].firstIndex(where: { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") }) {
            end = query
        }
        // The last two non-empty segments: the owner and the name.
        var name: Range<String.Index>?
        var owner: Range<String.Index>?
        var segments = 0
        func found(_ segment: Range<String.Index>) {
            if name == nil { name = segment } else if owner == nil { owner = segment }
            segments += 1
        }
        var segmentEnd = end
        var index = end
        while index > start {
            let before = bytes.index(before: index)
            if bytes[before] == slash {
                if index < segmentEnd { found(index..<segmentEnd) }
                segmentEnd = before
            }
            index = before
        }
        if start < segmentEnd { found(start..<segmentEnd) }
        guard let name else { throw EngineError.queueDoesNotExist }
        if segments == 1 {
            guard !bytes.contains(slash) else { throw EngineError.queueDoesNotExist }
            return QueueKey(account: account, region: region, name: String(url[name]))
        }
        guard let owner, bytes.distance(from: owner.lowerBound, to: owner.upperBound) == 12,
            bytes[owner].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 })
        else {
            throw EngineError.queueDoesNotExist
        }
        return QueueKey(account: String(url[owner]), region: region, name: String(url[name]))
    }
}
