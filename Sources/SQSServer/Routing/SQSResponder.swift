import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSEngine
import SQSProtocol
import SQSHTTP

/// Answers SQS API requests: builds the ``RequestContext`` from the HTTP headers and hands the
/// body to the protocol handler.
struct SQSResponder: Sendable {
    let json: JSONProtocolHandler
    let defaults: ServerDefaults

    func respond(to request: HTTPRequest, requestID: String) async -> HTTPResponse {
        let headers = request.head.headers
        let context = Self.context(for: request.head, defaults: defaults, requestID: requestID)
        var body = request.body
        let bytes = body.readBytes(length: body.readableBytes) ?? []
        let response = await json.handle(target: headers.first(name: "x-amz-target"), body: bytes, context: context)
        return Self.httpResponse(response, requestID: requestID)
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
        let host = headers.first(name: "host").flatMap { $0.isEmpty ? nil : $0 } ?? defaults.authority
        return RequestContext(
            account: credential?.account(default: defaults.account) ?? defaults.account,
            region: credential?.region ?? defaults.region,
            baseURL: "http://\(host)",
            senderID: credential?.accessKey ?? defaults.account,
            requestID: requestID,
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
