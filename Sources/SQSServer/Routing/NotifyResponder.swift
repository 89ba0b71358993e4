import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSMail
import SQSNotify
import SQSProtocol

/// Answers SNS, SES and the mailbox on sqslite's port:
/// - Query requests (`POST /` form bodies, or `GET /?Action=…`) signed for `sns`, or naming an
///   SNS action, go to SNS; those signed for `ses` (or `email`), or naming an SES v1 action, to
///   SES. SNS, SES and SQS action names do not overlap, so unsigned requests route by name
///   (unless their `Version` is another API's: `Action=Publish&Version=2012-11-05` is SQS's).
/// - `/v2/email/…`: SES v2 (REST-JSON).
/// - `/_aws/ses`, `/_aws/sns/sms-messages`: the mailbox (LocalStack's shapes).
/// - `GET` of the certificate SNS signatures are checked with.
///
/// Requests a browser sent from another site are refused (``CrossSiteRequest``), except the
/// `ConfirmSubscription` link of a confirmation mail, whose secret token is the authorization.
struct NotifyResponder: Sendable {
    let sns: SNSQueryHandler
    let ses: SESQueryHandler
    let sesV2: SESRestHandler
    let mailbox: MailboxAPI
    let signer: MessageSigner
    let defaults: ServerDefaults
    /// With `--auth`: every SNS and SES request is signed and authorized (the mailbox API and the
    /// confirmation link are not AWS APIs and stay open).
    var auth: RequestAuthenticator? = nil

    /// Which service a Query request is for.
    enum Service { case sns, ses }

    /// The answer, or `nil` when the request is not for SNS, SES or the mailbox.
    func respond(to request: HTTPRequest, requestID: String) async -> HTTPResponse? {
        let head = request.head
        let path = ServerRouter.path(of: head.uri)
        if path == MessageSigner.certificatePath && head.method == .GET {
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: "application/x-x509-ca-cert")
            return HTTPResponse(status: .ok, headers: headers, body: ByteBuffer(string: signer.certificatePEM))
        }
        if MailboxAPI.handles(path: path) {
            if let reason = CrossSiteRequest.refusal(head.headers), head.method != .GET {
                return ServerRouter.json(#"{"error":\#(JSONValue.quoted(reason))}"#, requestID: requestID, status: .forbidden)
            }
            let answer = await mailbox.handle(method: head.method.rawValue, path: path, query: FormEncoding.queryParameters(of: head.uri))
            if answer.status == 204 { return HTTPResponse(status: .noContent) }
            return ServerRouter.json(answer.json, requestID: requestID, status: HTTPResponseStatus(statusCode: answer.status))
        }
        if SESRestHandler.handles(path: path) {
            if let reason = CrossSiteRequest.refusal(head.headers) {
                return Self.http(
                    status: 403, headers: [("Content-Type", "application/json"), ("x-amzn-ErrorType", "AccessDeniedException")],
                    body: #"{"message":\#(JSONValue.quoted(reason))}"#, requestID: requestID)
            }
            if let auth, let refusal = auth.sesV2Refusal(request, path: path, requestID: requestID) {
                return refusal
            }
            var body = request.body
            let context = SQSResponder.context(for: head, defaults: defaults, requestID: requestID)
            let answer = await sesV2.handle(
                method: head.method.rawValue, path: path, body: body.readBytes(length: body.readableBytes) ?? [], region: context.region)
            return Self.http(status: answer.status, headers: answer.headers, body: answer.body, requestID: requestID)
        }
        guard head.method == .POST || head.method == .GET, let service = Self.service(of: request) else { return nil }
        let parameters = Self.parameters(of: request)
        let context = SQSResponder.context(for: head, defaults: defaults, requestID: requestID)
        let confirmationLink = head.method == .GET && parameters["Action"] == "ConfirmSubscription"
        if !confirmationLink, let reason = CrossSiteRequest.refusal(head.headers) {
            let response =
                service == .sns
                ? SNSQueryHandler.error(SNSError(.accessDenied, reason), requestID: requestID)
                : SESQueryHandler.error(SESError(code: "AccessDenied", status: 403, message: reason), requestID: requestID)
            return SQSResponder.httpResponse(response, requestID: requestID)
        }
        if !confirmationLink, let auth,
            let refusal = auth.notifyRefusal(request, service: service, parameters: parameters, requestID: requestID)
        {
            return refusal
        }
        let response: ProtocolResponse
        switch service {
        case .sns: response = await sns.handle(parameters: QueryParameters(parameters), context: context)
        case .ses: response = await ses.handle(parameters: QueryParameters(parameters), region: context.region, requestID: requestID)
        }
        return SQSResponder.httpResponse(response, requestID: requestID)
    }

    /// The service of a Query request: the SigV4 scope's service when signed, else the action's.
    static func service(of request: HTTPRequest) -> Service? {
        let head = request.head
        guard SQSResponder.isQueryProtocol(head) else { return nil }
        if let authorization = head.headers.first(name: "authorization"), let scope = signingService(authorization) {
            switch scope {
            case "sns": return .sns
            case "ses", "email": return .ses
            default: return nil
            }
        }
        guard let action = SQSResponder.queryAction(of: request).map(String.init) else { return nil }
        // An unsigned request naming SQS's API version stays with SQS whatever its action.
        let version = parameters(of: request)["Version"]
        if SNSQueryHandler.handles(action: action), version == nil || version == SNSQueryHandler.apiVersion { return .sns }
        if SESQueryHandler.actions.contains(action), version == nil || version == SESQueryHandler.apiVersion { return .ses }
        return nil
    }

    /// The service of a SigV4 `Authorization` header's credential scope
    /// (`Credential=AKID/20240101/us-east-1/sns/aws4_request`).
    static func signingService(_ authorization: String) -> String? {
        guard let marker = authorization.firstRange(of: "Credential=") else { return nil }
        let scope = authorization[marker.upperBound...].prefix { $0 != "," && $0 != " " }
        let parts = scope.split(separator: "/", omittingEmptySubsequences: false)
        return parts.count >= 5 ? String(parts[3]) : nil
    }

    /// The query string's and the form body's parameters.
    static func parameters(of request: HTTPRequest) -> [String: String] {
        let parts = request.head.uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        var parameters = parts.count > 1 ? FormEncoding.parameters(parts[1]) : [:]
        if SQSResponder.hasFormBody(request.head) {
            let body = request.body.getString(at: request.body.readerIndex, length: request.body.readableBytes) ?? ""
            parameters.merge(FormEncoding.parameters(Substring(body))) { _, body in body }
        }
        return parameters
    }

    /// The metrics label of a request for SNS or SES, if it is one.
    static func metricsLabel(of request: HTTPRequest) -> String? {
        let path = ServerRouter.path(of: request.head.uri)
        if SESRestHandler.handles(path: path) { return "SES" }
        if MailboxAPI.handles(path: path) { return "Mailbox" }
        switch service(of: request) {
        case .sns: return "SNS"
        case .ses: return "SES"
        case nil: return nil
        }
    }

    static func http(status: Int, headers: [(name: String, value: String)], body: String, requestID: String) -> HTTPResponse {
        var httpHeaders = HTTPHeaders()
        httpHeaders.add(name: "x-amzn-RequestId", value: requestID)
        for header in headers { httpHeaders.add(name: header.name, value: header.value) }
        return HTTPResponse(status: HTTPResponseStatus(statusCode: status), headers: httpHeaders, body: ByteBuffer(string: body))
    }
}
