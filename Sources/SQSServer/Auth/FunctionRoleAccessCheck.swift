import SQSAuth
import SQSEngine
import SQSLambda

/// Whether a function's execution role may poll its event-source mapping's queue (`--auth`):
/// `sqs:ReceiveMessage`, `sqs:DeleteMessage` and `sqs:GetQueueAttributes` on the queue, by the
/// role's policies and the queue's `Policy`, as Lambda's poller needs them on AWS. A function
/// without a role (an in-process function, one declared without `role`) is not checked.
struct FunctionRoleAccessCheck: MappingPermissionCheck {
    /// The actions Lambda's SQS poller calls, in the order AWS reports the first one missing.
    static let pollerActions = ["ReceiveMessage", "DeleteMessage", "GetQueueAttributes"]

    let access: AccessControl
    let engine: QueueEngine

    func missingPermission(function: FunctionConfiguration, queue: QueueKey) async -> String? {
        guard let roleARN = function.role else { return nil }
        guard let role = Self.role(arn: roleARN, in: access.directory) else { return Self.pollerActions[0] }
        let caller = PrincipalDirectory.caller(of: role, session: function.name)
        let policy = engine.policy(of: queue)
        for action in Self.pollerActions {
            let request = AuthorizationRequest(
                caller: caller, action: "sqs:\(action)", resource: queue.arn, resourceAccount: queue.account, context: ["aws:SecureTransport": ["true"]])
            if access.authorize(request, resourcePolicy: policy) != nil { return action }
        }
        return nil
    }

    /// The principal a role ARN (`arn:aws:iam::<account>:role/<name>`) names, if configured.
    static func role(arn: String, in directory: PrincipalDirectory) -> PrincipalDefinition? {
        let parts = arn.split(separator: ":", maxSplits: 5, omittingEmptySubsequences: false)
        guard parts.count == 6, parts[5].hasPrefix("role/") else { return nil }
        let name = String(parts[5].dropFirst("role/".count).split(separator: "/").last ?? "")
        guard let principal = directory.principal(named: name, type: .role), principal.account == parts[4] else { return nil }
        return principal
    }
}
