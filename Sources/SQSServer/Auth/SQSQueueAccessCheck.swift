import SQSAuth
import SQSEngine
import SQSProtocol

/// The SQS authorization of one authenticated caller: the caller's identity policies and the
/// queue's `Policy` attribute (its resource policy, AddPermission's grants included), as IAM
/// evaluates them. Denials carry SQS's wording (the action in lower case).
struct SQSQueueAccessCheck: SQSAccessCheck {
    let caller: Caller
    let access: AccessControl
    let engine: QueueEngine
    /// `aws:SourceIp`, `aws:SecureTransport`.
    let context: [String: [String]]

    func denial(of action: SQSAction, on resource: SQSResource) async -> String? {
        var policy: String?
        if case .queue(let key) = resource {
            policy = await engine.policy(of: key)
        }
        let request = AuthorizationRequest(
            caller: caller, action: action.iamAction, resource: resource.arn, resourceAccount: resource.owner, context: context)
        return access.authorize(request, resourcePolicy: policy, actionName: action.deniedActionName)?.message
    }
}
