import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSProtocol
import SQSAuth
import SQSHTTP

/// Answers SQS API requests: builds the ``RequestContext`` from the HTTP headers, tells the two
/// wire protocols apart and hands the request to that protocol's handler.
///
/// Detection follows AWS: `X-Amz-Target` or a `application/x-amz-json-1.0` body is the JSON
/// protocol; a `application/x-www-form-urlencoded` body, or `Action=` in the query string, is the
/// Query protocol (parameters from the query string and the form body; a queue URL's path implies
/// `QueueUrl`). Anything else gets the JSON protocol's `UnknownOperationException`.
struct SQSResponder: Sendable {
    let json: JSONProtocolHandler
    let query: QueryProtocolHandler
    let defaults: ServerDefaults

    init(engine: QueueEngine, defaults: ServerDefaults, interceptor: (any SQSRequestInterceptor)? = nil) {
        self.json = JSONProtocolHandler(engine: engine, interceptor: interceptor)
        self.query = QueryProtocolHandler(engine: engine, interceptor: interceptor)
        self.defaults = defaults
    }

    func respond(to request: HTTPRequest, requestID: String) async -> HTTPResponse {
        await answer(request, requestID: requestID).response
    }

    /// Answers a request and says what it was (action, queue, caller, error) for the call record;
    /// with `--auth`, `signer` is who signed it and in which region, and `check` authorizes its action.
    /// `jsonTarget` is the request's `X-Amz-Target` when the caller already read it (the JSON protocol).
    func answer(
        _ request: HTTPRequest, requestID: String, signer: Authentication? = nil, check: (any SQSAccessCheck)? = nil,
        jsonTarget: String? = nil
    ) async -> (response: HTTPResponse, call: RoutedCall) {
        let head = request.head
        var context: RequestContext
        if let signer {
            // The signing principal's account, and its unique id as the SenderId AWS records.
            context = Self.context(
                for: head, defaults: defaults, requestID: requestID, account: signer.caller.account, region: signer.region,
                senderID: signer.caller.userID)
            context.accessCheck = check
        } else {
            context = Self.context(for: head, defaults: defaults, requestID: requestID)
        }
        var body = request.body
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        let response: ProtocolResponse
        if jsonTarget == nil, Self.isQueryProtocol(head) {
            let parts = head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
            var parameters = parts.count > 1 ? FormEncoding.parameters(parts[1]) : [:]
            if Self.hasFormBody(head), !bytes.isEmpty {
                parameters.merge(FormEncoding.parameters(Substring(String(decoding: bytes, as: UTF8.self)))) { _, body in body }
            }
            response = await query.handle(parameters: QueryParameters(parameters), path: parts[0], context: context)
        } else {
            response = await json.handle(target: jsonTarget ?? head.headers.first(name: "x-amz-target"), body: bytes, context: context)
        }
        let call = RoutedCall(
            service: "sqs", action: response.action ?? "Unknown", account: context.account, principal: context.senderID,
            resource: response.queueName, errorCode: response.errorCode, actionRecognized: response.isKnownAction)
        return (Self.httpResponse(response, requestID: requestID), call)
    }

    /// Whether a request speaks the Query protocol (see the type's documentation).
    static func isQueryProtocol(_ head: HTTPRequestHead) -> Bool {
        if head.headers.contains(name: "x-amz-target") { return false }
        if let type = head.headers.first(name: "content-type"), type.lowercased().hasPrefix("application/x-amz-json") { return false }
        return hasFormBody(head) || queryStringAction(head.uri) != nil
    }

    /// Whether the body is `application/x-www-form-urlencoded`.
    static func hasFormBody(_ head: HTTPRequestHead) -> Bool {
        head.headers.first(name: "content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
    }

    /// The `Action` parameter of a URI's query string, if any.
    static func queryStringAction(_ uri: String) -> Substring? {
        guard let mark = uri.firstIndex(of: "?") else { return nil }
        return formAction(uri[uri.index(after: mark)...].utf8).map { Substring($0) }
    }

    /// The Query action a request names (query string first, then a form body), for metrics.
    static func queryAction(of request: HTTPRequest) -> Substring? {
        guard isQueryProtocol(request.head) else { return nil }
        if let action = queryStringAction(request.head.uri) { return action }
        guard hasFormBody(request.head) else { return nil }
        return request.body.withUnsafeReadableBytes { buffer in
            formAction(buffer).map { Substring(String(decoding: $0, as: UTF8.self)) }
        }
    }

    /// The raw value of the `Action=` pair in form-encoded bytes (action names need no decoding).
    private static func formAction<Bytes: Collection<UInt8>>(_ bytes: Bytes) -> Bytes.SubSequence? {
        var start = bytes.startIndex
        while start < bytes.endIndex {
            let end = bytes[start...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
            let pair = bytes[start..<end]
            if pair.starts(with: "Action=".utf8) {
                return pair.dropFirst("Action=".utf8.count)
            }
            start = end == bytes.endIndex ? end : bytes.index(after: end)
        }
        return nil
    }

    /// The caller's account, region and URL base, from `Authorization` (or `X-Amz-Credential`),
    /// `Host` and `X-Amzn-Trace-Id`.
    static func context(for head: HTTPRequestHead, defaults: ServerDefaults, requestID: String) -> RequestContext {
        let headers = head.headers
        var credential = headers.first(name: "authorization").flatMap { SigV4Credential(authorization: Substring($0)) }
        if credential == nil, let query = head.uri.firstIndex(of: "?") {
            for pair in head.uri[head.uri.index(after: query)...].split(separator: "&") where pair.hasPrefix("X-Amz-Credential=") {
                let value = pair.dropFirst("X-Amz-Credential=".count).replacing("%2F", with: "/").replacing("%2f", with: "/")
                credential = SigV4Credential(authorization: Substring(value))
            }
        }
        return context(
            for: head, defaults: defaults, requestID: requestID, account: credential?.account(default: defaults.account) ?? defaults.account,
            region: credential?.region ?? defaults.region, senderID: credential?.accessKey ?? defaults.account)
    }

    /// A context for a known account, region and sender, with the URL base from `Host`.
    static func context(
        for head: HTTPRequestHead, defaults: ServerDefaults, requestID: String, account: String, region: String, senderID: String
    ) -> RequestContext {
        let headers = head.headers
        let host = headers.first(name: "host").flatMap { $0.isEmpty ? nil : $0 } ?? defaults.authority
        return RequestContext(
            account: account, region: region, baseURL: "http://\(host)", senderID: senderID, requestID: requestID,
            traceHeader: headers.first(name: "x-amzn-trace-id"))
    }

    static func httpResponse(_ response: ProtocolResponse, requestID: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.reserveCapacity(3 + response.headers.count)
        headers.add(name: "x-amzn-RequestId", value: requestID)
        headers.add(name: "Content-Type", value: response.contentType)
        for header in response.headers {
            headers.add(name: header.name, value: header.value)
        }
        return HTTPResponse(status: .init(statusCode: response.status), headers: headers, body: ByteBuffer(bytes: response.body))
    }
}
