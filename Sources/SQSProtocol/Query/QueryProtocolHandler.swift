import SQSEngine

/// The AWS Query protocol, as SDKs from before the JSON switch (late 2023) speak it:
/// form-encoded `Action=<Op>&Version=2012-11-05` parameters in, XML out.
///
/// The flattened parameters decode into the same request shapes as JSON requests
/// (``QueryRequestDecoder`` → ``SQSRequest``), ``SQSDispatcher`` runs them, and
/// ``XMLResponseEncoder`` writes the result. Errors use the Query codes, statuses and wording of
/// ``AWSErrorMapping``; a missing `Action` is `MissingAction`, an unknown one `InvalidAction`.
public struct QueryProtocolHandler: Sendable {
    /// The `Content-Type` of Query responses.
    public static let contentType = "text/xml"

    let dispatcher: SQSDispatcher
    let interceptor: (any SQSRequestInterceptor)?

    /// Creates a handler over an engine; `interceptor` sees each decoded request before it runs.
    public init(engine: QueueEngine, interceptor: (any SQSRequestInterceptor)? = nil) {
        self.dispatcher = SQSDispatcher(engine: engine)
        self.interceptor = interceptor
    }

    /// Handles one request.
    /// - Parameters:
    ///   - parameters: The query string's and the form body's parameters, decoded.
    ///   - path: The request path; a queue URL's path (`/<account>/<name>`) implies `QueueUrl`.
    ///   - context: The caller's account, region and URL base.
    public func handle(parameters: QueryParameters, path: Substring, context: RequestContext) async -> ProtocolResponse {
        guard let name = parameters["Action"], !name.isEmpty else {
            return Self.protocolError("MissingAction", message: "The request must contain the parameter Action.", requestID: context.requestID)
        }
        guard let action = SQSAction(rawValue: name) else {
            var response = Self.protocolError("InvalidAction", message: "The action \(name) is not valid for this web service.", requestID: context.requestID)
            response.action = name
            return response
        }
        var parameters = parameters
        if parameters["QueueUrl"] == nil, path.split(separator: "/").count >= 2 {
            parameters["QueueUrl"] = context.baseURL + path
        }
        var queueName: String?
        var response: ProtocolResponse
        do {
            let request = try QueryRequestDecoder.decode(action, parameters)
            queueName = request.queueName
            if let check = context.accessCheck, let resource = request.resource(context), let denial = await check.denial(of: action, on: resource) {
                response = Self.protocolError("AccessDenied", message: denial, status: 403, requestID: context.requestID)
            } else if let interceptor,
                let interception = await interceptor.intercept(SQSCallInfo(action: action, queueName: queueName, context: context))
            {
                response = Self.error(interception.error, context: context)
                response.headers += interception.headers
            } else {
                let output = try await RequestTrace.$requestID.withValue(context.requestID) {
                    try await dispatcher.perform(request, context)
                }
                let body = XMLResponseEncoder.encode(output, for: action, requestID: context.requestID)
                response = ProtocolResponse(status: 200, contentType: Self.contentType, body: body.bytes)
            }
        } catch let error as EngineError {
            response = Self.error(error, context: context)
        } catch {
            response = Self.error(EngineError(.internalFailure, "\(error)"), context: context)
        }
        response.action = action.rawValue
        response.isKnownAction = true
        response.queueName = queueName
        return response
    }

    /// An engine error in the Query protocol's `ErrorResponse` shape.
    public static func error(_ error: EngineError, context: RequestContext) -> ProtocolResponse {
        let wire = AWSErrorMapping.wire(for: error.code)
        let body = XMLResponseEncoder.error(
            code: wire.queryCode, message: AWSErrorMapping.queryMessage(for: error), senderFault: wire.senderFault, requestID: context.requestID)
        var response = ProtocolResponse(status: wire.status, contentType: contentType, body: body.bytes)
        response.errorCode = wire.queryCode
        return response
    }

    /// A protocol-level error (no or unknown `Action`, a body too large to read): a `Sender` fault.
    public static func protocolError(_ code: String, message: String, status: Int = 400, requestID: String) -> ProtocolResponse {
        let body = XMLResponseEncoder.error(code: code, message: message, senderFault: true, requestID: requestID)
        var response = ProtocolResponse(status: status, contentType: contentType, body: body.bytes)
        response.errorCode = code
        return response
    }
}
