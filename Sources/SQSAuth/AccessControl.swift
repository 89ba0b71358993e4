import FoundationEssentials
import Synchronization

/// sqslite's authentication and authorization in one place: the principals and their keys, the
/// SigV4 verifier, and IAM's policy evaluation, for every service on the port.
///
/// ```swift
/// let caller = try access.authenticate(SigV4Request(method: "POST", uri: "/", headers: headers), service: "sqs") { hash(body) }
/// if let failure = access.authorize(AuthorizationRequest(caller: caller, action: "sqs:SendMessage", resource: queueARN),
///                                   resourcePolicy: queuePolicyText, actionName: "sqs:sendmessage") { … }
/// ```
///
/// Pure (no I/O); safe to share across tasks. The clock is injected for tests.
public final class AccessControl: Sendable {
    /// The principals and every key that signs for one.
    public let directory: PrincipalDirectory
    private let verifier = SigV4Verifier()
    private let clock: @Sendable () -> Int64
    /// Parsed resource policies by their text (`nil`: the text is not a policy).
    private let policies = Mutex<[String: PolicyDocument?]>([:])

    /// Creates the access control over a set of principals.
    /// - Parameter clock: Seconds since 1970; the system clock by default.
    /// - Throws: ``AuthConfigurationError`` for duplicate principals or keys.
    public init(principals: [PrincipalDefinition], clock: @escaping @Sendable () -> Int64 = AccessControl.systemSeconds)
        throws(AuthConfigurationError)
    {
        self.directory = try PrincipalDirectory(principals)
        self.clock = clock
    }

    /// The system clock in whole seconds since 1970.
    public static let systemSeconds: @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970) }

    /// The current time, seconds since 1970.
    public var now: Int64 { clock() }

    /// Verifies a request's signature for a service and returns who signed it.
    /// - Parameters:
    ///   - service: The signing name (`sqs`, `lambda`, `logs`, `sts`, …).
    ///   - payloadHash: The lower-case hex SHA-256 of the body, asked only when the payload is signed.
    /// - Throws: ``AuthFailure`` (AWS's code and message).
    public func authenticate<Headers: SigV4Headers>(
        _ request: SigV4Request<Headers>, service: String, payloadHash: () -> String
    ) throws(AuthFailure) -> Caller {
        try verify(request, service: service, payloadHash: payloadHash).caller
    }

    /// Verifies a request's signature and returns who signed it and for which region.
    /// - Throws: ``AuthFailure`` (AWS's code and message).
    public func verify<Headers: SigV4Headers>(
        _ request: SigV4Request<Headers>, service: String, payloadHash: () -> String
    ) throws(AuthFailure) -> Authentication {
        try verifier.verify(request, service: service, now: clock(), lookup: directory.credential(for:), payloadHash: payloadHash)
    }

    /// Decides a request against the caller's policies and the resource's policy text.
    /// - Parameters:
    ///   - resourcePolicy: The resource's policy document as stored (a queue's `Policy`), if any.
    ///   - actionName: The action as the service's denial message writes it (SQS writes it in lower case).
    /// - Returns: `nil` when allowed, else the `AccessDenied` failure with AWS's message.
    public func authorize(_ request: AuthorizationRequest, resourcePolicy: String? = nil, actionName: String? = nil) -> AuthFailure? {
        authorize(request, resourcePolicy: resourcePolicy, actionName: actionName) { [:] }
    }

    /// Decides a request whose context keys (`aws:SourceIp`, …) are worked out only when a policy
    /// has conditions or variables that read them.
    public func authorize(
        _ request: AuthorizationRequest, resourcePolicy: String? = nil, actionName: String? = nil, context: () -> [String: [String]]
    ) -> AuthFailure? {
        let document = resourcePolicy.flatMap(policy(from:))
        var request = request
        if request.caller.policies.contains(where: \.readsContext) || document?.readsContext == true {
            request.context.merge(context()) { _, new in new }
        }
        switch PolicyEvaluator.evaluate(request, resourcePolicy: document, now: clock()) {
        case .allow:
            return nil
        case .deny(let reason):
            return .accessDenied(callerARN: request.caller.arn, action: actionName ?? request.action, resource: request.resource, reason: reason)
        }
    }

    /// A resource policy parsed leniently, cached by its text.
    public func policy(from text: String) -> PolicyDocument? {
        if let cached = policies.withLock({ $0[text] }) { return cached }
        let parsed = PolicyDocument.lenient(text)
        policies.withLock { cache in
            if cache.count >= AuthLimits.policyCacheSize { cache.removeAll(keepingCapacity: true) }
            cache[text] = .some(parsed)
        }
        return parsed
    }
}
