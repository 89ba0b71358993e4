import SQSAuth
import SQSEngine
import SQSHTTP
import SQSProtocol

/// The SQS authorization of one authenticated caller: the caller's identity policies and the
/// queue's `Policy` attribute (its resource policy, AddPermission's grants included), as IAM
/// evaluates them. Denials carry SQS's wording (the action in lower case).
struct SQSQueueAccessCheck: SQSAccessCheck {
    let caller: Caller
    let access: AccessControl
    let engine: QueueEngine
    /// The request, for its context keys (`aws:SourceIp`, `aws:SecureTransport`), read only when a
    /// policy's condition needs them.
    let request: HTTPRequest

    func denial(of action: SQSAction, on resource: SQSResource) async -> String? {
        var policy: String?
        if case .queue(let key) = resource {
            policy = engine.policy(of: key)
        }
        let authorization = AuthorizationRequest(caller: caller, action: action.iamAction, resource: resource.arn, resourceAccount: resource.owner)
        return access.authorize(authorization, resourcePolicy: policy, actionName: action.deniedActionName) {
            RequestAuthenticator.context(of: request)
        }?.message
    }
}
