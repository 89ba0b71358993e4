import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSLambda
import SQSLogs
import SQSProtocol
import SQSHTTP

/// The route table: the few endpoint families sqslite serves on one port.
///
/// - `GET /health`: readiness (the server only listens once the store is open and the config
///   file's queues exist, so any answer means ready).
/// - `GET /metrics`: Prometheus metrics (see ``ServerMetrics``).
/// - `/_aws/sqs/messages…`: LocalStack's peek endpoint (messages without consuming them).
/// - `/admin…`: the admin page and its JSON API (see ``AdminResponder``), unless turned off.
/// - `/2015-03-31/…`: the Lambda API subset (event-source mappings, Invoke, functions).
/// - `POST` with `X-Amz-Target: Logs_20140328.<Operation>`: the CloudWatch Logs API (see ``LogsService``).
/// - SNS and SES (Query, signed for `sns` / `ses` or naming their actions), SES v2 (`/v2/email/…`)
///   and the mailbox (`/_aws/ses`, `/_aws/sns/sms-messages`): see ``NotifyResponder``.
/// - `POST` (any other path): the SQS API, JSON protocol (`X-Amz-Target`) or Query protocol
///   (form body, to `/` or to a queue URL's path).
/// - `GET` with `Action=` in the query string: the SQS Query protocol.
/// - `GET /` from a browser (accepting HTML): a redirect to `/admin`.
/// - anything else: a 404 (or 405) in AWS's JSON error shape.
///
/// The Lambda and SQS APIs refuse requests a browser sent from another site with a 403 in the
/// service's error shape (see ``CrossSiteRequest``): SDKs never send `Origin`. This matters the
/// more for the Query protocol, whose GETs change state. The peek API only reads, and the admin
/// page has its own CSRF and origin checks.
public struct ServerRouter: HTTPResponder {
    let sqs: SQSResponder
    let peek: PeekResponder
    let lambda: LambdaAPIResponder?
    let metrics: ServerMetrics?
    let engine: QueueEngine
    let admin: AdminResponder?
    let logs: LogsService?
    let notify: NotifyResponder?

    /// Creates the router over an engine and, optionally, the Lambda API and metrics.
    public init(
        engine: QueueEngine, defaults: ServerDefaults, lambda: LambdaAPIResponder? = nil, metrics: ServerMetrics? = nil,
        admin: AdminResponder? = nil, logs: LogsService? = nil, notify: NotifyServices? = nil
    ) {
        self.logs = logs
        self.notify = notify.map { NotifyResponder(services: $0, defaults: defaults) }
        self.engine = engine
        self.admin = admin
        self.metrics = metrics
        self.sqs = SQSResponder(engine: engine, defaults: defaults)
        self.peek = PeekResponder(engine: engine, defaults: defaults)
        self.lambda = lambda
    }

    /// Routes one request (and counts it by action when metrics are on).
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        guard let metrics else { return await route(request) }
        let start = ContinuousClock.now
        let response = await route(request)
        metrics.requestServed(action: Self.action(of: request), status: Int(response.status.code), duration: ContinuousClock.now - start)
        return response
    }

    /// The metrics label of a request: the SQS action, or the route.
    static func action(of request: HTTPRequest) -> String {
        if let target = request.head.headers.first(name: "x-amz-target"), target.hasPrefix("AmazonSQS.") {
            let action = target.dropFirst("AmazonSQS.".count)
            return SQSAction(rawValue: String(action)) != nil ? String(action) : "Unknown"
        }
        if let label = NotifyResponder.metricsLabel(of: request) { return label }
        if let action = SQSResponder.queryAction(of: request) {
            return SQSAction(rawValue: String(action)) != nil ? String(action) : "Unknown"
        }
        if let target = request.head.headers.first(name: "x-amz-target"), target.hasPrefix(LogsService.targetPrefix) { return "Logs" }
        let path = request.head.uri.split(separator: "?", maxSplits: 1).first ?? ""
        if LambdaAPIResponder.handles(path: path) { return "Lambda" }
        if PeekResponder.handles(path: path) { return "Peek" }
        if AdminResponder.handles(path: path) { return "Admin" }
        return ["/health", "/metrics"].contains(path) ? String(path.dropFirst()) : "Other"
    }

    private func route(_ request: HTTPRequest) async -> HTTPResponse {
        let requestID = RandomID.uuidString()
        let head = request.head
        let path = head.uri.split(separator: "?", maxSplits: 1).first ?? ""
        if path == "/metrics", head.method == .GET, let metrics {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
            return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: await metrics.render(engine)))
        }
        if PeekResponder.handles(path: path) && (head.method == .GET || head.method == .POST) {
            return ResponseCompression.compressIfAccepted(await peek.respond(to: request, requestID: requestID), for: head)
        }
        if let admin, AdminResponder.handles(path: path) {
            return await admin.respond(to: request)
        }
        if let lambda, LambdaAPIResponder.handles(path: path) {
            if let reason = CrossSiteRequest.refusal(head.headers) {
                return LambdaAPIResponder.error(.accessDenied(reason), requestID: requestID)
            }
            return await lambda.respond(to: request, requestID: requestID)
        }
        if let logs, head.method == .POST, let target = head.headers.first(name: "x-amz-target"), target.hasPrefix(LogsService.targetPrefix) {
            return await Self.logs(logs, operation: String(target.dropFirst(LogsService.targetPrefix.count)), request: request, requestID: requestID)
        }
        if let notify, let response = await notify.respond(to: request, requestID: requestID) {
            return response
        }
        if head.method == .POST || (head.method == .GET && SQSResponder.queryStringAction(head.uri) != nil) {
            if let reason = CrossSiteRequest.refusal(head.headers) {
                var response: ProtocolResponse
                if SQSResponder.isQueryProtocol(head) {
                    response = QueryProtocolHandler.protocolError("AccessDenied", message: reason, status: 403, requestID: requestID)
                } else {
                    response = JSONProtocolHandler.coralError("AccessDeniedException", message: reason, status: 403)
                    response.headers.append((name: "x-amzn-query-error", value: "AccessDenied;Sender"))
                }
                return SQSResponder.httpResponse(response, requestID: requestID)
            }
            return await sqs.respond(to: request, requestID: requestID)
        }
        if admin != nil, Self.isBrowserVisitToRoot(head, path: path) {
            var headers = HTTPHeaders()
            headers.add(name: "Location", value: "/admin")
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            return HTTPResponse(status: .found, headers: headers, body: ByteBuffer(string: "The admin page is at /admin.\n"))
        }
        if path == "/health" && (head.method == .GET || head.method == .HEAD) {
            return Self.json(#"{"status":"ok","service":"sqslite"}"#, requestID: requestID)
        }
        let response = JSONProtocolHandler.coralError(
            "UnknownOperationException", message: "No route for \(head.method.rawValue) \(path).",
            status: head.method == .GET ? 404 : 405)
        return SQSResponder.httpResponse(response, requestID: requestID)
    }

    /// Whether a request is a browser opening `http://localhost:9324/` (sent to the admin page): a plain
    /// `GET /` that accepts HTML. SDK requests to `/` are POSTs, or GETs with `Action=`.
    static func isBrowserVisitToRoot(_ head: HTTPRequestHead, path: Substring) -> Bool {
        head.method == .GET && path == "/" && !head.uri.contains("?")
            && head.headers[canonicalForm: "accept"].contains { $0.lowercased().hasPrefix("text/html") }
    }

    /// Answers a CloudWatch Logs request (refusing one a browser sent from another site).
    static func logs(_ logs: LogsService, operation: String, request: HTTPRequest, requestID: String) async -> HTTPResponse {
        let answer: (status: Int, json: String)
        if let reason = CrossSiteRequest.refusal(request.head.headers) {
            answer = (403, #"{"__type":"AccessDeniedException","message":"# + JSONValue.quoted(reason) + "}")
        } else {
            var body = request.body
            answer = await logs.handle(operation: operation, body: body.readBytes(length: body.readableBytes) ?? [])
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: LogsService.contentType)
        headers.add(name: "x-amzn-RequestId", value: requestID)
        return HTTPResponse(status: HTTPResponseStatus(statusCode: answer.status), headers: headers, body: ByteBuffer(string: answer.json))
    }

    static func json(_ text: String, requestID: String, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "x-amzn-RequestId", value: requestID)
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(string: text))
    }

    /// The answer to a request body beyond the size limit: in the Query protocol's XML when the
    /// request speaks it, otherwise in the JSON protocol's shape.
    public static func oversizeResponse(limit: Int) -> @Sendable (HTTPRequestHead) -> HTTPResponse {
        { head in
            let requestID = RandomID.uuidString()
            let path = head.uri.split(separator: "?", maxSplits: 1).first ?? ""
            if LambdaAPIResponder.handles(path: path) {
                let allowance = LambdaAPIResponder.bodySizeAllowance(method: head.method, uri: head.uri)
                let operation = allowance == nil ? "Lambda" : head.method == .POST ? "CreateFunction" : "UpdateFunctionCode"
                return LambdaAPIResponder.error(
                    .requestTooLarge(limit: max(limit, allowance ?? 0), operation: operation), requestID: requestID)
            }
            let message = "Request body is larger than \(limit) bytes."
            let response =
                SQSResponder.isQueryProtocol(head)
                ? QueryProtocolHandler.protocolError("RequestEntityTooLarge", message: message, status: 413, requestID: requestID)
                : JSONProtocolHandler.coralError("RequestEntityTooLargeException", message: message, status: 413)
            return SQSResponder.httpResponse(response, requestID: requestID)
        }
    }
}
