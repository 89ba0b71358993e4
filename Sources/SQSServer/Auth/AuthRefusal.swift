import FoundationEssentials
import NIOCore
import NIOHTTP1
import SQSAuth
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSLogs
import SQSProtocol

/// An ``AuthFailure`` in each service's error shape: the SQS Query protocol's XML, the SQS JSON
/// protocol (`__type` plus `x-amzn-query-error`), the Lambda API (`x-amzn-ErrorType`),
/// CloudWatch Logs (JSON 1.1) and STS (Query XML in STS's namespace).
enum AuthRefusal {
    /// For the SQS API, in the protocol the request speaks.
    static func sqs(_ failure: AuthFailure, head: HTTPRequestHead, requestID: String) -> HTTPResponse {
        var response: ProtocolResponse
        if SQSResponder.isQueryProtocol(head) {
            response = QueryProtocolHandler.protocolError(failure.queryCode, message: failure.message, status: failure.status, requestID: requestID)
        } else {
            response = JSONProtocolHandler.coralError(failure.jsonType, message: failure.messageForJSON, status: failure.status)
            response.headers.append((name: "x-amzn-query-error", value: "\(failure.queryCode);Sender"))
        }
        return SQSResponder.httpResponse(response, requestID: requestID)
    }

    /// For the Lambda API.
    static func lambda(_ failure: AuthFailure, requestID: String) -> HTTPResponse {
        LambdaAPIResponder.error(LambdaAPIError(type: failure.jsonType, status: failure.status, message: failure.messageForJSON), requestID: requestID)
    }

    /// For CloudWatch Logs, which answers `AccessDeniedException` with status 400.
    static func logs(_ failure: AuthFailure, requestID: String) -> HTTPResponse {
        var writer = JSONWriter()
        writer.object { o in
            o.member("__type", failure.jsonType)
            o.member("message", failure.messageForJSON)
        }
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: LogsService.contentType)
        headers.add(name: "x-amzn-RequestId", value: requestID)
        let status = failure.kind == .accessDenied ? 400 : failure.status
        return HTTPResponse(status: HTTPResponseStatus(statusCode: status), headers: headers, body: ByteBuffer(bytes: writer.bytes))
    }
}
