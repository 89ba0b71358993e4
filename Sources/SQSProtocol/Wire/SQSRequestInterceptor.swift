import SQSEngine

/// What the protocol layer knows about an SQS request once it is decoded, before it runs:
/// enough for a fault rule to match it, without parsing the body again.
public struct SQSCallInfo: Sendable {
    /// The action.
    public var action: SQSAction
    /// The queue the request names (from `QueueUrl`, `QueueName` or `SourceArn`), if any.
    public var queueName: String?
    /// The caller's account, region, access key and request id.
    public var context: RequestContext

    /// Creates a call description.
    public init(action: SQSAction, queueName: String?, context: RequestContext) {
        self.action = action
        self.queueName = queueName
        self.context = context
    }
}

/// An error to answer a request with instead of running it, with extra headers (`Retry-After`).
public struct SQSInterception: Sendable {
    /// The error, answered in the request's protocol.
    public var error: EngineError
    /// Headers added to the error response.
    public var headers: [(name: String, value: String)]

    /// Creates an interception.
    public init(error: EngineError, headers: [(name: String, value: String)] = []) {
        self.error = error
        self.headers = headers
    }
}

/// Consulted by both protocol handlers after a request is decoded and before it changes anything
/// (sqslite's fault rules implement it). It may delay the request and may answer it with an error.
public protocol SQSRequestInterceptor: Sendable {
    /// `nil` to run the request (after any delay it chose), or the error to answer with.
    func intercept(_ call: SQSCallInfo) async -> SQSInterception?
}

extension SQSRequest {
    /// The action this request is.
    var action: SQSAction {
        switch self {
        case .addPermission: .addPermission
        case .cancelMessageMoveTask: .cancelMessageMoveTask
        case .changeMessageVisibility: .changeMessageVisibility
        case .changeMessageVisibilityBatch: .changeMessageVisibilityBatch
        case .createQueue: .createQueue
        case .deleteMessage: .deleteMessage
        case .deleteMessageBatch: .deleteMessageBatch
        case .deleteQueue: .deleteQueue
        case .getQueueAttributes: .getQueueAttributes
        case .getQueueUrl: .getQueueUrl
        case .listDeadLetterSourceQueues: .listDeadLetterSourceQueues
        case .listMessageMoveTasks: .listMessageMoveTasks
        case .listQueueTags: .listQueueTags
        case .listQueues: .listQueues
        case .purgeQueue: .purgeQueue
        case .receiveMessage: .receiveMessage
        case .removePermission: .removePermission
        case .sendMessage: .sendMessage
        case .sendMessageBatch: .sendMessageBatch
        case .setQueueAttributes: .setQueueAttributes
        case .startMessageMoveTask: .startMessageMoveTask
        case .tagQueue: .tagQueue
        case .untagQueue: .untagQueue
        }
    }

    /// The name of the queue the request names, if any: the last segment of a `QueueUrl`, a
    /// `QueueName`, or the resource of a `SourceArn`.
    var queueName: String? {
        let reference: String?
        switch self {
        case .addPermission(let r): reference = r.queueUrl
        case .cancelMessageMoveTask: reference = nil
        case .changeMessageVisibility(let r): reference = r.queueUrl
        case .changeMessageVisibilityBatch(let r): reference = r.queueUrl
        case .createQueue(let r): return r.queueName
        case .deleteMessage(let r): reference = r.queueUrl
        case .deleteMessageBatch(let r): reference = r.queueUrl
        case .deleteQueue(let r): reference = r.queueUrl
        case .getQueueAttributes(let r): reference = r.queueUrl
        case .getQueueUrl(let r): return r.queueName
        case .listDeadLetterSourceQueues(let r): reference = r.queueUrl
        case .listMessageMoveTasks(let r): return r.sourceArn.flatMap(Self.arnResource)
        case .listQueueTags(let r): reference = r.queueUrl
        case .listQueues: reference = nil
        case .purgeQueue(let r): reference = r.queueUrl
        case .receiveMessage(let r): reference = r.queueUrl
        case .removePermission(let r): reference = r.queueUrl
        case .sendMessage(let r): reference = r.queueUrl
        case .sendMessageBatch(let r): reference = r.queueUrl
        case .setQueueAttributes(let r): reference = r.queueUrl
        case .startMessageMoveTask(let r): return r.sourceArn.flatMap(Self.arnResource)
        case .tagQueue(let r): reference = r.queueUrl
        case .untagQueue(let r): reference = r.queueUrl
        }
        guard let reference, !reference.isEmpty else { return nil }
        return Self.lastPathSegment(reference)
    }

    /// The last non-empty `/`-separated segment before any `?` or `#`, read byte-wise (this runs
    /// on every request; Character-level searching showed in profiles).
    static func lastPathSegment(_ reference: String) -> String? {
        let bytes = reference.utf8
        var end = bytes.firstIndex { $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#") } ?? bytes.endIndex
        while end > bytes.startIndex, bytes[bytes.index(before: end)] == UInt8(ascii: "/") { end = bytes.index(before: end) }
        guard end > bytes.startIndex else { return nil }
        var start = end
        while start > bytes.startIndex, bytes[bytes.index(before: start)] != UInt8(ascii: "/") { start = bytes.index(before: start) }
        return String(reference[start..<end])
    }

    private static func arnResource(_ arn: String) -> String? {
        arn.split(separator: ":", omittingEmptySubsequences: false).last.map(String.init)
    }
}
