import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSAuth
import SQSHTTP
import SQSProtocol

/// `sts:GetCallerIdentity` on sqslite's port (Query protocol, signing name `sts`), so tools that
/// ask "who am I" work: the caller's account, unique id and ARN. With `--auth` that is the
/// signing principal (`arn:aws:iam::<account>:user/<name>`, or inside a function running with a
/// role `arn:aws:sts::<account>:assumed-role/<role>/<function>`); without it, the root user of the
/// account the access key selects (see ``SigV4Credential``).
///
/// GetCallerIdentity needs no permission (IAM cannot deny it). Other STS actions get
/// `InvalidAction`, as STS answers an operation it does not have.
struct STSResponder: Sendable {
    /// The namespace of STS's XML.
    static let namespace = "https://sts.amazonaws.com/doc/2011-06-15/"
    /// The API version.
    static let version = "2011-06-15"

    let defaults: ServerDefaults

    /// Whether a request is meant for STS: a Query request signed for the `sts` service, or one
    /// whose `Action` is `GetCallerIdentity` (no SQS action has that name).
    static func handles(_ request: HTTPRequest) -> Bool {
        let head = request.head
        guard SQSResponder.isQueryProtocol(head) else { return false }
        if let authorization = head.headers.first(name: "authorization"), authorization.contains("/sts/aws4_request") { return true }
        if head.uri.contains("%2Fsts%2Faws4_request") { return true }
        return SQSResponder.queryAction(of: request) == "GetCallerIdentity"
    }

    func respond(to request: HTTPRequest, requestID: String, auth: RequestAuthenticator?) -> HTTPResponse {
        let caller: Caller
        if let auth {
            switch auth.authenticate(request, service: "sts") {
            case .failure(let failure): return Self.error(failure.queryCode, failure.message, status: failure.status, requestID: requestID)
            case .success(let signed): caller = signed
            }
        } else {
            let context = SQSResponder.context(for: request.head, defaults: defaults, requestID: requestID)
            caller = .root(account: context.account)
        }
        let action = SQSResponder.queryAction(of: request).map(String.init) ?? ""
        guard action == "GetCallerIdentity" else {
            if action.isEmpty {
                return Self.error("MissingAction", "The request must contain the parameter Action.", status: 400, requestID: requestID)
            }
            return Self.error("InvalidAction", "Could not find operation \(action) for version \(Self.version)", status: 400, requestID: requestID)
        }
        var writer = XMLWriter()
        writer.raw("<GetCallerIdentityResponse xmlns=\"\(Self.namespace)\">")
        writer.element("GetCallerIdentityResult") { result in
            result.element("Arn", caller.arn)
            result.element("UserId", caller.userID)
            result.element("Account", caller.account)
        }
        writer.element("ResponseMetadata") { $0.element("RequestId", requestID) }
        writer.raw("</GetCallerIdentityResponse>")
        return Self.response(status: .ok, writer: writer, requestID: requestID)
    }

    /// An STS error (`ErrorResponse` in STS's namespace).
    static func error(_ code: String, _ message: String, status: Int, requestID: String) -> HTTPResponse {
        var writer = XMLWriter()
        writer.raw("<ErrorResponse xmlns=\"\(namespace)\">")
        writer.element("Error") { error in
            error.element("Type", "Sender")
            error.element("Code", code)
            error.element("Message", message)
        }
        writer.element("RequestId", requestID)
        writer.raw("</ErrorResponse>")
        return response(status: HTTPResponseStatus(statusCode: status), writer: writer, requestID: requestID)
    }

    private static func response(status: HTTPResponseStatus, writer: XMLWriter, requestID: String) -> HTTPResponse {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "text/xml")
        headers.add(name: "x-amzn-RequestId", value: requestID)
        return HTTPResponse(status: status, headers: headers, body: ByteBuffer(bytes: writer.bytes))
    }
}
