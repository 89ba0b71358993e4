import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSLambda
import SQSLogs
import SQSProtocol
import SQSAuth
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
/// - a Query request signed for `sts`, or `Action=GetCallerIdentity`: STS GetCallerIdentity (see ``STSResponder``).
/// - `POST` (any other path): the SQS API, JSON protocol (`X-Amz-Target`) or Query protocol
///   (form body, to `/` or to a queue URL's path).
/// - `GET` with `Action=` in the query string: the SQS Query protocol.
/// - `GET /` from a browser (accepting HTML): a redirect to `/admin`.
/// - anything else: a 404 (or 405) in AWS's JSON error shape.
///
/// With `--auth`, ``RequestAuthenticator`` is a step of every service route (SQS, Lambda, Logs,
/// STS): the request's SigV4 signature is verified and its action authorized, and a refusal is
/// answered in the service's error shape. `/admin`, the peek API and `/metrics` are not SigV4
/// APIs: `--admin-token` guards them (`/health` stays open).
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
    /// The test controls (`/_sqslite/…`): fault rules and the call record apply to every API request.
    let control: ControlResponder?
    let defaults: ServerDefaults
    let auth: RequestAuthenticator?
    let sts: STSResponder

    /// Creates the router over an engine and, optionally, the Lambda API and metrics; `auth` turns
    /// on signature verification and authorization (`--auth`).
    public init(
        engine: QueueEngine, defaults: ServerDefaults, lambda: LambdaAPIResponder? = nil, metrics: ServerMetrics? = nil,
        admin: AdminResponder? = nil, logs: LogsService? = nil, notify: NotifyServices? = nil, controls: TestControls? = nil,
        adminToken: String? = nil, auth: RequestAuthenticator? = nil
    ) {
        self.auth = auth
        self.sts = STSResponder(defaults: defaults)
        self.logs = logs
        self.notify = notify.map { NotifyResponder(services: $0, defaults: defaults, auth: auth) }
        self.engine = engine
        self.admin = admin
        self.metrics = metrics
        self.defaults = defaults
        self.sqs = SQSResponder(engine: engine, defaults: defaults, interceptor: controls?.faults)
        self.peek = PeekResponder(engine: engine, defaults: defaults)
        self.lambda = lambda
        self.control = controls.map { ControlResponder(controls: $0, adminToken: adminToken) }
    }

    /// Routes one request (and counts it by action when metrics are on, and records it when it is
    /// an API call and the call record is on).
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        let recorder = control?.controls.calls
        let recording = recorder?.isEnabled == true
        if metrics == nil && !recording { return await route(request).response }
        let start = ContinuousClock.now
        let arrivedAt = recording ? recorder?.now() : nil
        let routed = await route(request)
        let response = routed.response
        let duration = ContinuousClock.now - start
        metrics?.requestServed(action: routed.label ?? Self.action(of: request), status: Int(response.status.code), duration: duration)
        if let recorder, recording, let call = routed.call {
            recorder.record(Self.callRecord(call, request: request, response: response, duration: duration, arrivedAt: arrivedAt, recorder: recorder))
        }
        return response
    }

    /// The metrics label of a request naming an action SQS does not have.
    static let unknownActionLabel = "Unknown"

    /// The metrics label of a request: the SQS action, or the route.
    static func action(of request: HTTPRequest) -> String {
        if let target = request.head.headers.first(name: "x-amz-target"), target.hasPrefix(JSONProtocolHandler.targetPrefix) {
            let action = target.dropFirst(JSONProtocolHandler.targetPrefix.count)
            return SQSAction(rawValue: String(action)) != nil ? String(action) : Self.unknownActionLabel
        }
        if let label = NotifyResponder.metricsLabel(of: request) { return label }
        if let action = SQSResponder.queryAction(of: request) {
            if action == "GetCallerIdentity" { return "STS" }
            return SQSAction(rawValue: String(action)) != nil ? String(action) : Self.unknownActionLabel
        }
        if let target = request.head.headers.first(name: "x-amz-target"), target.hasPrefix(LogsService.targetPrefix) { return "Logs" }
        let path = Self.path(of: request.head.uri)
        if LambdaAPIResponder.handles(path: path) { return "Lambda" }
        if PeekResponder.handles(path: path) { return "Peek" }
        if AdminResponder.handles(path: path) { return "Admin" }
        return ["/health", "/metrics"].contains(path) ? String(path.dropFirst()) : "Other"
    }

    /// A routed request's answer, what the call record keeps of it, and its metrics label when
    /// routing already knows it (else ``action(of:)`` works it out).
    private struct Routed {
        var response: HTTPResponse
        var call: RoutedCall?
        var label: String?
    }

    private func route(_ request: HTTPRequest) async -> Routed {
        let requestID = RandomID.uuidString()
        let head = request.head
        // What SDKs send most: the SQS JSON protocol, posted to `/`. No other route takes a POST
        // to `/` with an `AmazonSQS.` target (the path routes need other paths, and STS, SNS and
        // SES need the Query protocol, which an `X-Amz-Target` rules out), so it skips their checks.
        if head.method == .POST, head.uri == "/", let target = head.headers.first(name: "x-amz-target"),
            target.hasPrefix(JSONProtocolHandler.targetPrefix)
        {
            var routed = await sqsRoute(request, requestID: requestID, jsonTarget: target)
            if let call = routed.call { routed.label = call.actionRecognized ? call.action : Self.unknownActionLabel }
            return routed
        }
        let path = Self.path(of: head.uri)
        if path == "/metrics", head.method == .GET, let metrics {
            if let refusal = admin?.tokenRefusal(head) { return Routed(response: refusal) }
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "text/plain; version=0.0.4; charset=utf-8")
            return Routed(response: HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(bytes: await metrics.render(engine))))
        }
        if PeekResponder.handles(path: path) && (head.method == .GET || head.method == .POST) {
            if let refusal = admin?.tokenRefusal(head) { return Routed(response: refusal) }
            return Routed(response: ResponseCompression.compressIfAccepted(await peek.respond(to: request, requestID: requestID), for: head))
        }
        if AdminResponder.handles(path: path), let admin {
            return Routed(response: await admin.respond(to: request))
        }
        if ControlResponder.handles(path: path), let control {
            return Routed(response: await control.respond(to: request))
        }
        if LambdaAPIResponder.handles(path: path), let lambda {
            let operation = LambdaAPIResponder.operation(method: head.method, uri: head.uri)
            let call = callOf(head, service: "lambda", action: operation.name, resource: operation.resource)
            if let reason = CrossSiteRequest.refusal(head.headers) {
                return Routed(response: LambdaAPIResponder.error(.accessDenied(reason), requestID: requestID), call: call)
            }
            if let refusal = auth?.lambdaRefusal(request, lambda: lambda, requestID: requestID) { return Routed(response: refusal, call: call) }
            if let injected = await injectedLambdaError(operation, requestID: requestID) {
                return Routed(response: injected, call: call)
            }
            return Routed(response: await lambda.respond(to: request, requestID: requestID), call: call)
        }
        if head.method == .POST, let target = head.headers.first(name: "x-amz-target"), target.hasPrefix(LogsService.targetPrefix), let logs {
            let operation = String(target.dropFirst(LogsService.targetPrefix.count))
            let call = callOf(head, service: "logs", action: operation, resource: nil)
            if CrossSiteRequest.refusal(head.headers) == nil,
                let refusal = auth?.logsRefusal(request, logs: logs, operation: operation, requestID: requestID)
            {
                return Routed(response: refusal, call: call)
            }
            return Routed(response: await Self.logs(logs, operation: operation, request: request, requestID: requestID, faults: control?.controls.faults), call: call)
        }
        if STSResponder.handles(request), CrossSiteRequest.refusal(head.headers) == nil {
            return Routed(response: sts.respond(to: request, requestID: requestID, auth: auth))
        }
        if let response = await notify?.respond(to: request, requestID: requestID) {
            return Routed(response: response)
        }
        if head.method == .POST || (head.method == .GET && SQSResponder.queryStringAction(head.uri) != nil) {
            return await sqsRoute(request, requestID: requestID)
        }
        if admin != nil, Self.isBrowserVisitToRoot(head, path: path) {
            var headers = HTTPHeaders()
            headers.add(name: "Location", value: "/admin")
            headers.add(name: "Content-Type", value: "text/plain; charset=utf-8")
            return Routed(response: HTTPResponse(status: .found, headers: headers, body: ByteBuffer(string: "The admin page is at /admin.\n")))
        }
        if path == "/health" && (head.method == .GET || head.method == .HEAD) {
            return Routed(response: Self.json(#"{"status":"ok","service":"sqslite"}"#, requestID: requestID))
        }
        let response = JSONProtocolHandler.coralError(
            "UnknownOperationException", message: "No route for \(head.method.rawValue) \(path).",
            status: head.method == .GET ? 404 : 405)
        return Routed(response: SQSResponder.httpResponse(response, requestID: requestID))
    }

    /// Answers an SQS request (JSON or Query protocol): refused when a browser sent it from another
    /// site, or with `--auth` when its signature or permissions fail. `jsonTarget` is its
    /// `X-Amz-Target` when routing already read it.
    private func sqsRoute(_ request: HTTPRequest, requestID: String, jsonTarget: String? = nil) async -> Routed {
        let head = request.head
        if let reason = CrossSiteRequest.refusal(head.headers) {
            var response: ProtocolResponse
            if SQSResponder.isQueryProtocol(head) {
                response = QueryProtocolHandler.protocolError("AccessDenied", message: reason, status: 403, requestID: requestID)
            } else {
                response = JSONProtocolHandler.coralError("AccessDeniedException", message: reason, status: 403)
                response.headers.append((name: "x-amzn-query-error", value: "AccessDenied;Sender"))
            }
            return Routed(response: SQSResponder.httpResponse(response, requestID: requestID))
        }
        if let auth {
            switch auth.sqs(request, requestID: requestID) {
            case .refused(let response): return Routed(response: response)
            case .allowed(let signer, let check):
                let answer = await sqs.answer(request, requestID: requestID, signer: signer, check: check, jsonTarget: jsonTarget)
                return Routed(response: answer.response, call: answer.call)
            }
        }
        let answer = await sqs.answer(request, requestID: requestID, jsonTarget: jsonTarget)
        return Routed(response: answer.response, call: answer.call)
    }

    /// A request target's path: the URI up to its query string.
    static func path(of uri: String) -> Substring {
        guard let mark = uri.utf8.firstIndex(of: UInt8(ascii: "?")) else { return uri[...] }
        return uri[..<mark]
    }

    /// Whether a request is a browser opening `http://localhost:9324/` (sent to the admin page): a plain
    /// `GET /` that accepts HTML. SDK requests to `/` are POSTs, or GETs with `Action=`.
    static func isBrowserVisitToRoot(_ head: HTTPRequestHead, path: Substring) -> Bool {
        head.method == .GET && path == "/" && !head.uri.contains("?")
            && head.headers[canonicalForm: "accept"].contains { $0.lowercased().hasPrefix("text/html") }
    }

    /// Answers a CloudWatch Logs request (refusing one a browser sent from another site; failing
    /// or delaying it when a fault rule says so).
    static func logs(
        _ logs: LogsService, operation: String, request: HTTPRequest, requestID: String, faults: FaultInjector? = nil
    ) async -> HTTPResponse {
        var answer: (status: Int, json: String)
        var extra: [(name: String, value: String)] = []
        if let reason = CrossSiteRequest.refusal(request.head.headers) {
            answer = (403, #"{"__type":"AccessDeniedException","message":"# + JSONValue.quoted(reason) + "}")
        } else {
            var injected: LogsError?
            if let decision = faults?.decide(service: "logs", action: operation, resource: nil) {
                await decision.delay()
                injected = decision.error.flatMap { LogsError.injectable(named: $0, message: decision.message) }
                extra = decision.headers
            }
            if let injected {
                answer = (injected.status, injected.json)
            } else {
                var body = request.body
                answer = await logs.handle(operation: operation, body: body.readBytes(length: body.readableBytes) ?? [])
                extra = []
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: LogsService.contentType)
        headers.add(name: "x-amzn-RequestId", value: requestID)
        for header in extra { headers.add(name: header.name, value: header.value) }
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
            let path = Self.path(of: head.uri)
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
