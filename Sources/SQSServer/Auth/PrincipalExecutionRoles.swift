import SQSAuth
import SQSLambda

/// The execution roles of the Lambda API's functions under `--auth`: the role principals of
/// `auth.principals`, as for the config file's functions. A role ARN names one when its account
/// and name match (``FunctionRoleAccessCheck/role(arn:in:)``); a session of it is named after the
/// function, so its denials read `assumed-role/<role>/<function>` as on Lambda.
struct PrincipalExecutionRoles: ExecutionRoleResolver {
    let directory: PrincipalDirectory

    func canAssume(roleARN: String) -> Bool {
        FunctionRoleAccessCheck.role(arn: roleARN, in: directory) != nil
    }

    func startSession(roleARN: String, functionName: String) -> [String: String]? {
        guard let role = FunctionRoleAccessCheck.role(arn: roleARN, in: directory),
            let credential = try? directory.startSession(role: role.name, session: functionName)
        else { return nil }
        return Self.environment(credential)
    }

    /// The variables that make an AWS SDK in a function process sign with `credential`, or with
    /// placeholders when there is none (without `--auth`, or a function without a role).
    static func environment(_ credential: SigningCredential?) -> [String: String] {
        [
            "AWS_ACCESS_KEY_ID": credential?.accessKeyID ?? "test", "AWS_SECRET_ACCESS_KEY": credential?.secretAccessKey ?? "test",
            "AWS_SESSION_TOKEN": credential?.sessionToken ?? "test",
        ]
    }
}
