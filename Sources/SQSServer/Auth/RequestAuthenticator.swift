import NIOCore
import NIOHTTP1
import SQSAuth
import SQSEngine
import SQSHTTP
import SQSLambda
import SQSLogs

/// The step `--auth` adds in front of every service on the port: verify the request's SigV4
/// signature (``authenticate(_:service:)``), then decide its action (``authorize(_:action:resource:resourceAccount:resourcePolicy:actionName:request:)``).
///
/// A service route calls both and answers an ``AuthFailure`` in its own error shape (its
/// `queryCode`/`jsonType`, `status` and `message`). The SQS, Lambda, CloudWatch Logs and STS
/// routes use the helpers below; a new service does the same with its signing name:
///
/// ```swift
/// if let auth {
///     switch auth.authenticate(request, service: "sns") {
///     case .failure(let failure): return snsError(failure)
///     case .success(let caller):
///         if let denied = auth.authorize(caller, action: "sns:Publish", resource: topicArn, request: request) { return snsError(denied) }
///     }
/// }
/// ```
public struct RequestAuthenticator: Sendable {
    /// The principals, the verifier and the policy evaluation.
    public let access: AccessControl
    let engine: QueueEngine

    /// Creates the step over an access control and the engine (for queue policies).
    public init(access: AccessControl, engine: QueueEngine) {
        self.access = access
        self.engine = engine
    }

    /// Verifies a request's signature for a service's signing name (`sqs`, `lambda`, `logs`, `sts`, …).
    public func authenticate(_ request: HTTPRequest, service: String) -> Result<Caller, AuthFailure> {
        verify(request, service: service).map(\.caller)
    }

    /// Verifies a request's signature: the caller and the region it signed for.
    func verify(_ request: HTTPRequest, service: String) -> Result<Authentication, AuthFailure> {
        let view = SigV4Request(method: request.head.method.rawValue, uri: request.head.uri, headers: request.head.headers)
        do {
            return .success(
                try access.verify(view, service: service) {
                    request.body.withUnsafeReadableBytes { CanonicalRequest.hexSHA256($0) }
                })
        } catch {
            return .failure(error)
        }
    }

    /// Decides an action for a caller: its identity policies, and the resource's policy when the
    /// service has one. `nil` when allowed.
    /// - Parameter actionName: The action as the service writes it in denials (default: `action`).
    public func authorize(
        _ caller: Caller, action: String, resource: String, resourceAccount: String? = nil, resourcePolicy: String? = nil,
        actionName: String? = nil, request: HTTPRequest
    ) -> AuthFailure? {
        access.authorize(
            AuthorizationRequest(caller: caller, action: action, resource: resource, resourceAccount: resourceAccount),
            resourcePolicy: resourcePolicy, actionName: actionName
        ) { Self.context(of: request) }
    }

    /// Whether an AWS service may act on a queue for one of its resources, as the queue's policy
    /// decides on AWS (an SNS topic delivering to a subscribed queue needs
    /// `{"Principal": {"Service": "sns.amazonaws.com"}, "Action": "sqs:SendMessage", "Condition": {"ArnEquals": {"aws:SourceArn": <topic>}}}`).
    /// `nil` when allowed.
    public func serviceRefusal(
        _ service: String, action: String, queue: QueueKey, sourceArn: String, sourceAccount: String
    ) async -> AuthFailure? {
        let policy = engine.policy(of: queue)
        let request = AuthorizationRequest(
            caller: .service(service), action: action, resource: queue.arn, resourceAccount: queue.account,
            context: ["aws:SourceArn": [sourceArn], "aws:SourceAccount": [sourceAccount], "aws:SecureTransport": ["true"]])
        return access.authorize(request, resourcePolicy: policy, actionName: action.lowercased())
    }

    /// The context keys a request brings: `aws:SourceIp` and `aws:SecureTransport` (sqslite serves
    /// plain HTTP, so `false`).
    public static func context(of request: HTTPRequest) -> [String: [String]] {
        var context = ["aws:SecureTransport": ["false"]]
        if let address = request.remoteAddress?.ipAddress { context["aws:SourceIp"] = [address] }
        return context
    }

    // MARK: - The routes' helpers

    /// An authenticated SQS request's signer and its authorization step, or the refusal.
    enum SQSOutcome {
        case allowed(Authentication, SQSQueueAccessCheck)
        case refused(HTTPResponse)
    }

    /// Authenticates an SQS request (JSON or Query protocol); actions are authorized once decoded.
    func sqs(_ request: HTTPRequest, requestID: String) -> SQSOutcome {
        switch verify(request, service: "sqs") {
        case .failure(let failure):
            return .refused(AuthRefusal.sqs(failure, head: request.head, requestID: requestID))
        case .success(let signer):
            return .allowed(
                signer, SQSQueueAccessCheck(caller: signer.caller, access: access, engine: engine, request: request))
        }
    }

    /// The refusal of a Lambda API request, or `nil` when it may go on.
    func lambdaRefusal(_ request: HTTPRequest, lambda: LambdaAPIResponder, requestID: String) -> HTTPResponse? {
        switch authenticate(request, service: "lambda") {
        case .failure(let failure):
            return AuthRefusal.lambda(failure, requestID: requestID)
        case .success(let caller):
            guard let permission = lambda.permission(method: request.head.method, uri: request.head.uri) else { return nil }
            return authorize(caller, action: permission.action, resource: permission.resource, request: request)
                .map { AuthRefusal.lambda($0, requestID: requestID) }
        }
    }

    /// The refusal of a CloudWatch Logs request, or `nil` when it may go on.
    func logsRefusal(_ request: HTTPRequest, logs: LogsService, operation: String, requestID: String) -> HTTPResponse? {
        switch authenticate(request, service: "logs") {
        case .failure(let failure):
            return AuthRefusal.logs(failure, requestID: requestID)
        case .success(let caller):
            let permission = request.body.withUnsafeReadableBytes { logs.permission(operation: operation, body: $0) }
            return authorize(caller, action: permission.action, resource: permission.resource, request: request)
                .map { AuthRefusal.logs($0, requestID: requestID) }
        }
    }
}
