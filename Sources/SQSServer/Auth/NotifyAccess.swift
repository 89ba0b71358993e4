import NIOHTTP1
import SQSEngine
import SQSAuth
import SQSHTTP
import SQSNotify
import SQSProtocol

/// The `--auth` step for SNS and SES: the signature (signing names `sns` and `ses`), then the
/// action (`sns:Publish`, `ses:SendEmail`, …) on its resource as IAM decides it. Refusals use
/// the service's Query error shape; a denial is SNS's `AuthorizationError` (403).
extension RequestAuthenticator {
    /// The refusal of an SNS or SES v1 Query request, or `nil` when it may go on.
    func notifyRefusal(
        _ request: HTTPRequest, service: NotifyResponder.Service, parameters: [String: String], requestID: String
    ) -> HTTPResponse? {
        let signingName = service == .sns ? "sns" : "ses"
        let action = parameters["Action"] ?? ""
        let failure: AuthFailure?
        switch authenticate(request, service: signingName) {
        case .failure(let refused):
            failure = refused
        case .success(let caller):
            let resource =
                service == .sns
                ? parameters["TopicArn"] ?? parameters["TargetArn"] ?? parameters["ResourceArn"] ?? parameters["SubscriptionArn"] ?? "*"
                : "*"
            failure = authorize(
                caller, action: "\(signingName):\(action)", resource: resource,
                actionName: service == .sns ? "SNS:\(action)" : "ses:\(action)", request: request)
        }
        guard let failure else { return nil }
        let code = failure.kind == .accessDenied ? (service == .sns ? "AuthorizationError" : "AccessDenied") : failure.queryCode
        let response = QueryProtocolHandler.protocolError(code, message: failure.message, status: failure.status, requestID: requestID)
        return SQSResponder.httpResponse(response, requestID: requestID)
    }

    /// The refusal of an SES v2 request (REST-JSON), or `nil` when it may go on.
    func sesV2Refusal(_ request: HTTPRequest, path: Substring, requestID: String) -> HTTPResponse? {
        let failure: AuthFailure?
        switch authenticate(request, service: "ses") {
        case .failure(let refused):
            failure = refused
        case .success(let caller):
            let action = Self.sesV2Action(method: request.head.method, path: path)
            failure = authorize(caller, action: "ses:\(action)", resource: "*", request: request)
        }
        guard let failure else { return nil }
        return NotifyResponder.http(
            status: failure.status, headers: [("Content-Type", "application/json"), ("x-amzn-ErrorType", failure.jsonType)],
            body: #"{"message":\#(JSONValue.quoted(failure.messageForJSON))}"#, requestID: requestID)
    }

    /// The IAM action of an SES v2 call, by its method and path.
    static func sesV2Action(method: HTTPMethod, path: Substring) -> String {
        let segments = path.split(separator: "/")  // v2, email, <collection>, [name]
        let collection = segments.count > 2 ? segments[2] : ""
        let named = segments.count > 3
        switch (method, collection, named) {
        case (.POST, "outbound-emails", _): return "SendEmail"
        case (.POST, "identities", _): return "CreateEmailIdentity"
        case (.GET, "identities", false): return "ListEmailIdentities"
        case (.GET, "identities", true): return "GetEmailIdentity"
        case (.DELETE, "identities", _): return "DeleteEmailIdentity"
        case (.POST, "templates", _): return "CreateEmailTemplate"
        case (.GET, "templates", false): return "ListEmailTemplates"
        case (.GET, "templates", true): return "GetEmailTemplate"
        case (.PUT, "templates", _): return "UpdateEmailTemplate"
        case (.DELETE, "templates", _): return "DeleteEmailTemplate"
        case (.GET, "account", _): return "GetAccount"
        default: return "\(method.rawValue)\(collection)"
        }
    }
}
