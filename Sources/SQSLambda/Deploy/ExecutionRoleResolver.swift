/// The execution roles of the functions created through the Lambda API, when sqslite checks them
/// (`--auth`): which role ARNs Lambda may assume, and a session of one for a function, whose
/// temporary credentials its process signs with, as Lambda hands a function its role.
///
/// The composition root implements it over the configured principals, so this module stays free
/// of the authentication one. Without it (no `--auth`) any well-formed role ARN is accepted and
/// the processes get placeholder credentials.
public protocol ExecutionRoleResolver: Sendable {
    /// Whether Lambda may assume the role: `false` makes CreateFunction and
    /// UpdateFunctionConfiguration fail with ``LambdaAPIError/roleCannotBeAssumed``.
    func canAssume(roleARN: String) -> Bool

    /// Starts a session of the role named after the function and returns the environment that
    /// gives a process its temporary credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`); `nil` when the role cannot be assumed.
    func startSession(roleARN: String, functionName: String) -> [String: String]?
}
