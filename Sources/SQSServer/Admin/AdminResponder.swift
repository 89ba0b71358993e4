import FoundationEssentials
import Mustache
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSLogs

/// The admin page at `/admin` and its JSON API at `/admin/api`: queues, messages (peeked, never
/// received), functions, mappings and invocations.
///
/// Pages are server-rendered Mustache templates (escaped by default) with one stylesheet and one
/// script served from `/admin/assets/`. Reads change nothing; every change is a POST that passes
/// ``AdminSecurity`` (CSRF token and same origin) and goes through the engine's public API,
/// except the admin-only delete of one message by id. Responses are gzip-compressed when the
/// client accepts it.
public struct AdminResponder: Sendable {
    let engine: QueueEngine
    let lambda: AdminLambda?
    let activity: QueueActivity?
    /// SNS topics and the mailbox, when the server has them.
    let notify: AdminNotify?
    let security: AdminSecurity
    let defaults: ServerDefaults
    let templates: MustacheLibrary
    /// RedrivePolicy documents already parsed, so the queue list does not parse them on every poll.
    let redrivePolicies = RedrivePolicyCache()
    /// The CloudWatch Logs store, for the function page's logs.
    let logs: LogStore?

    /// The Lambda side the admin page shows, when the server has one.
    public struct AdminLambda: Sendable {
        let functions: FunctionRegistry
        let invocations: InvocationLog
        let mappings: EventSourceMappingManager
        let invoker: FunctionInvoker

        /// Bundles the function registry, the invocation log, the mappings and the invoker.
        public init(functions: FunctionRegistry, invocations: InvocationLog, mappings: EventSourceMappingManager, invoker: FunctionInvoker) {
            self.functions = functions
            self.invocations = invocations
            self.mappings = mappings
            self.invoker = invoker
        }
    }

    /// Creates the admin responder.
    /// - Parameters:
    ///   - adminToken: When set, every admin request must carry it (cookie or bearer token).
    ///   - activity: The per-minute counters shown in the queue tables, if counted.
    ///   - logs: The log store whose `/aws/lambda/<function>` groups the function pages show.
    public init(
        engine: QueueEngine, defaults: ServerDefaults, lambda: AdminLambda? = nil, activity: QueueActivity? = nil, adminToken: String? = nil,
        logs: LogStore? = nil,
        notify: AdminNotify? = nil
    ) {
        self.logs = logs
        self.engine = engine
        self.notify = notify
        self.lambda = lambda
        self.activity = activity
        self.defaults = defaults
        self.security = AdminSecurity(adminToken: adminToken)
        self.templates = AdminTemplates.library()
    }

    /// The CSRF token of this server run (the pages embed it; API clients read it from
    /// `GET /admin/api/csrf`).
    public var csrfToken: String { security.csrfToken }

    static func handles(path: Substring) -> Bool {
        path == AdminPaths.root || path.hasPrefix(AdminPaths.root + "/")
    }

    /// Serves one admin request.
    public func respond(to request: HTTPRequest) async -> HTTPResponse {
        var response = await route(AdminRequest(request))
        AdminSecurity.addHeaders(to: &response.headers)
        return ResponseCompression.compressIfAccepted(response, for: request.head)
    }

    private func route(_ request: AdminRequest) async -> HTTPResponse {
        let segments = request.segments
        if segments.first == "assets", segments.count == 2, request.method == .GET || request.method == .HEAD {
            guard let asset = AdminAssets.asset(named: segments[1]) else { return notFound(request, "No such asset.") }
            var response = Self.response(.ok, contentType: asset.contentType, body: asset.body)
            response.headers.add(name: "Cache-Control", value: "no-cache")
            return response
        }
        if segments == ["login"] {
            return login(request)
        }
        guard security.isAuthorized(request.headers) else {
            if request.wantsJSON || request.method != .GET || segments.first == "api" {
                return Self.json(AdminAPI.Result(ok: false, message: "This admin page needs its token."), status: .unauthorized)
            }
            return Self.redirect("/admin/login")
        }
        if request.method == .POST {
            guard AdminSecurity.isSameOrigin(request.headers) else {
                return failure(request, status: .forbidden, "The request did not come from this server's own pages (Origin).")
            }
            guard security.isValidCSRF(request.form["_csrf"] ?? request.headers.first(name: "x-csrf-token")) else {
                return failure(request, status: .forbidden, "The CSRF token is missing or stale; reload the page and try again.")
            }
            return await action(request)
        }
        guard request.method == .GET || request.method == .HEAD else {
            return failure(request, status: .methodNotAllowed, "Use GET to read and POST to change.")
        }
        if segments.first == "api" {
            return await api(request, Array(segments.dropFirst())[...])
        }
        return await page(request)
    }

    // MARK: - Login

    private func login(_ request: AdminRequest) -> HTTPResponse {
        guard let token = security.adminToken else { return Self.redirect("/admin") }
        if request.method == .POST {
            guard AdminSecurity.isSameOrigin(request.headers) else {
                return failure(request, status: .forbidden, "The request did not come from this server's own pages (Origin).")
            }
            guard let given = request.form["token"], AdminSecurity.constantTimeEquals(given, token) else {
                return render("login", title: "Sign in", context: [:], request: request, error: "That is not the admin token.", status: .unauthorized)
            }
            var response = Self.redirect("/admin")
            response.headers.add(
                name: "Set-Cookie", value: "\(AdminSecurity.cookieName)=\(token); Path=/admin; HttpOnly; SameSite=Strict")
            return response
        }
        return render("login", title: "Sign in", context: [:], request: request)
    }

    // MARK: - Rendering

    /// Renders `template` inside the layout.
    func render(
        _ template: String, title: String, context: [String: Any], request: AdminRequest, live: String? = nil, nav: String = "queues",
        error: String? = nil, status: HTTPResponseStatus = .ok
    ) -> HTTPResponse {
        var context = context
        context["csrf"] = security.csrfToken
        let content = templates.render(context, withTemplate: template) ?? ""
        var layout: [String: Any] = [
            "title": title, "content": content, "csrf": security.csrfToken, "nav" + nav.prefix(1).uppercased() + nav.dropFirst(): true,
            "hasNotify": notify != nil,
        ]
        if let live { layout["live"] = live }
        if let message = error ?? request.query["error"] { layout["error"] = message }
        if let notice = request.query["notice"] { layout["notice"] = notice }
        let html = templates.render(layout, withTemplate: "layout") ?? ""
        var response = Self.response(status, contentType: "text/html; charset=utf-8", body: html)
        response.headers.add(name: "Cache-Control", value: "no-store")
        return response
    }

    func notFound(_ request: AdminRequest, _ what: String) -> HTTPResponse {
        if request.wantsJSON || request.segments.first == "api" {
            return Self.json(AdminAPI.Result(ok: false, message: what), status: .notFound)
        }
        return render("notFound", title: "Not found", context: ["what": what], request: request, status: .notFound)
    }

    /// A failed request: JSON for API callers, otherwise the message on a page.
    func failure(_ request: AdminRequest, status: HTTPResponseStatus, _ message: String) -> HTTPResponse {
        if request.wantsJSON || request.segments.first == "api" {
            return Self.json(AdminAPI.Result(ok: false, message: message), status: status)
        }
        return render("notFound", title: "Error", context: ["what": message], request: request, error: message, status: status)
    }

    static func response(_ status: HTTPResponseStatus, contentType: String, body: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: contentType)
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(string: body))
    }

    static func json(_ value: some Encodable, status: HTTPResponseStatus = .ok) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Cache-Control", value: "no-store")
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(bytes: AdminAPI.encode(value)))
    }

    /// A 303 to `location` (after a POST, the browser GETs it).
    static func redirect(_ location: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Location", value: location)
        return HTTPResponse(status: .seeOther, headers: headers)
    }

    /// `path` with `?name=value` added, value percent-encoded.
    static func withQuery(_ path: String, _ name: String, _ value: String) -> String {
        var encoded = ""
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "~"):
                encoded.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: " "):
                encoded.append("+")
            default:
                let hex = String(byte, radix: 16, uppercase: true)
                encoded += "%" + (hex.count == 1 ? "0" : "") + hex
            }
        }
        return path + (path.contains("?") ? "&" : "?") + name + "=" + encoded
    }
}
