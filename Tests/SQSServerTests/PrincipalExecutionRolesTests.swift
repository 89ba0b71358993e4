import SQSAuth
import Testing

@testable import SQSServer

/// The execution roles the Lambda API's functions may have under `--auth`.
@Suite("PrincipalExecutionRoles")
struct PrincipalExecutionRolesTests {
    static func roles() throws -> PrincipalExecutionRoles {
        PrincipalExecutionRoles(
            directory: try PrincipalDirectory([
                PrincipalDefinition(name: "worker", type: .role, account: "000000000000"),
                PrincipalDefinition(name: "dev", type: .user, account: "000000000000", accessKeyID: "AKIADEV", secretAccessKey: "secret"),
            ]))
    }

    @Test func onlyAConfiguredRoleOfItsAccountCanBeAssumed() throws {
        let roles = try Self.roles()
        #expect(roles.canAssume(roleARN: "arn:aws:iam::000000000000:role/worker"))
        #expect(roles.canAssume(roleARN: "arn:aws:iam::000000000000:role/service-role/worker"), "a path before the name")
        #expect(!roles.canAssume(roleARN: "arn:aws:iam::111111111111:role/worker"))
        #expect(!roles.canAssume(roleARN: "arn:aws:iam::000000000000:role/nobody"))
        #expect(!roles.canAssume(roleARN: "arn:aws:iam::000000000000:role/dev"), "a user is not a role")
        #expect(roles.startSession(roleARN: "arn:aws:iam::000000000000:role/nobody", functionName: "fn") == nil)
    }

    @Test func aSessionIsNamedAfterTheFunctionAndSignsAsTheRole() throws {
        let roles = try Self.roles()
        let environment = try #require(roles.startSession(roleARN: "arn:aws:iam::000000000000:role/worker", functionName: "Shipper"))
        let key = try #require(environment["AWS_ACCESS_KEY_ID"])
        #expect(key.hasPrefix("ASIA"))
        let credential = try #require(roles.directory.credential(for: key))
        #expect(credential.secretAccessKey == environment["AWS_SECRET_ACCESS_KEY"])
        #expect(credential.sessionToken == environment["AWS_SESSION_TOKEN"])
        #expect(credential.caller.kind == .assumedRole(role: "worker", session: "Shipper"))
        let second = try #require(roles.startSession(roleARN: "arn:aws:iam::000000000000:role/worker", functionName: "Shipper"))
        #expect(second["AWS_ACCESS_KEY_ID"] != key, "each session has its own keys")
        #expect(
            PrincipalExecutionRoles.environment(nil) == ["AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test", "AWS_SESSION_TOKEN": "test"])
    }
}
