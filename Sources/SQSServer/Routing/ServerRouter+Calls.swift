import NIOCore
import NIOHTTP1
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSProtocol

/// The router's part in the test controls: fault rules for the Lambda API, and what the call
/// record keeps of each API request.
extension ServerRouter {
    /// The caller and action of a Lambda or Logs request (SQS requests say it themselves).
    func callOf(_ head: HTTPRequestHead, service: String, action: String, resource: String?) -> RoutedCall? {
        guard control?.controls.calls.isEnabled == true else { return nil }
        let credential = head.headers.first(name: "authorization").flatMap { SigV4Credential(authorization: Substring($0)) }
        return RoutedCall(
            service: service, action: action, account: credential?.account(default: defaults.account) ?? defaults.account,
            principal: credential?.accessKey ?? "", resource: resource, errorCode: nil)
    }

    /// The error a fault rule answers a Lambda API request with (after its delay), or `nil`.
    func injectedLambdaError(_ operation: (name: String, resource: String?), requestID: String) async -> HTTPResponse? {
        guard let decision = control?.controls.faults.decide(service: "lambda", action: operation.name, resource: operation.resource) else {
            return nil
        }
        await decision.delay()
        guard let name = decision.error, let error = LambdaAPIError.injectable(named: name, message: decision.message) else { return nil }
        var response = LambdaAPIResponder.error(error, requestID: requestID)
        for header in decision.headers { response.headers.add(name: header.name, value: header.value) }
        return response
    }

    /// The call record's entry for an answered API request.
    static func callRecord(
        _ call: RoutedCall, request: HTTPRequest, response: HTTPResponse, duration: Duration, arrivedAt: Timestamp?, recorder: CallRecorder
    ) -> CallRecorder.Call {
        let status = Int(response.status.code)
        var errorCode = call.errorCode
        if errorCode == nil, status >= 400 {
            errorCode = response.headers.first(name: "x-amzn-ErrorType") ?? Self.jsonErrorType(response.body)
        }
        var body: String?
        if recorder.recordsBodies, request.body.readableBytes > 0 {
            let bytes = request.body.readableBytesView.prefix(TestControlLimits.maxRecordedBodyBytes)
            body = String(decoding: bytes, as: UTF8.self)
        }
        let (seconds, attoseconds) = duration.components
        return CallRecorder.Call(
            service: call.service, action: call.action, account: call.account, principal: call.principal, resource: call.resource,
            status: status, errorCode: errorCode, durationMs: Double(seconds) * 1000 + Double(attoseconds) / 1e15,
            requestID: response.headers.first(name: "x-amzn-RequestId") ?? "", body: body, startedAt: arrivedAt)
    }

    /// The `__type` of a JSON error body (after any `#`), read without a JSON parser: only error
    /// answers of the Logs API come here.
    static func jsonErrorType(_ body: ByteBuffer?) -> String? {
        guard let body, let text = body.getString(at: body.readerIndex, length: min(body.readableBytes, 4096)),
            let marker = text.firstRange(of: #""__type":""#)
        else { return nil }
        let rest = text[marker.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let type = rest[..<end]
        return String(type.split(separator: "#").last ?? type)
    }
}
