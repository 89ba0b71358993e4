import SQSAuth
import SQSServer
import Testing

/// The config file's `auth:` section and `functions[].role`, in the shape issue 14 gives, and its
/// errors reported at their line.
@Suite("Config file: auth")
struct AuthConfigTests {
    private func parseError(_ text: String) -> ConfigFileError? {
        do {
            _ = try ConfigFile.parse(text, path: "sqslite.yaml")
            Issue.record("expected an error")
            return nil
        } catch {
            return error
        }
    }

    @Test func theIssuesExampleParses() throws {
        let text = """
            auth:
              enabled: true
              principals:
                - name: chat-sender                # an IAM user (or role) name
                  type: user                       # user | role
                  account: "000000000000"
                  accessKeyId: AKIAEXAMPLESENDER01
                  secretAccessKey: sender-secret
                  policies:                        # IAM policy documents, YAML or a JSON string
                    - Version: "2012-10-17"
                      Statement:
                        - {Effect: Allow, Action: ["sqs:SendMessage", "sqs:GetQueueUrl"], Resource: "arn:aws:sqs:us-east-1:000000000000:ChatAPP"}
                - name: send-receive-delete
                  type: role
                  policies:
                    - '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"sqs:ReceiveMessage","Resource":"*"}]}'
            functions:
              - name: SendReceiveDelete
                command: [python3, app.py]
                role: send-receive-delete          # the function process gets this principal's credentials
            """
        let config = try ConfigFile.parse(text, path: "sqslite.yaml")
        let auth = try #require(config.auth)
        #expect(auth.enabled == true)
        #expect(auth.principals.map(\.name) == ["chat-sender", "send-receive-delete"])
        #expect(auth.principals[0].type == .user)
        #expect(auth.principals[0].accessKeyID == "AKIAEXAMPLESENDER01")
        #expect(auth.principals[0].policies.first?.statements.count == 1)
        #expect(auth.principals[1].type == .role)
        #expect(auth.principals[1].account == "")
        #expect(auth.principals[1].accessKeyID == nil)
        #expect(auth.principals[1].policies.count == 1)
        #expect(config.functions[0].role == "send-receive-delete")
    }

    @Test func mistakesAreReportedAtTheirLine() {
        let badType = parseError("auth:\n  principals:\n    - name: a\n      type: group\n")
        #expect(badType?.description == "sqslite.yaml:4: auth.principals[0].type: expected user or role, not group")
        let badAccount = parseError("auth:\n  principals:\n    - {name: a, type: user, account: 12}\n")
        #expect(badAccount?.message.hasPrefix("expected a 12-digit account id") == true)
        let lonelyKey = parseError("auth:\n  principals:\n    - {name: a, type: user, accessKeyId: AKIA1}\n")
        #expect(lonelyKey?.message == "accessKeyId and secretAccessKey go together")
        let badPolicy = parseError(
            "auth:\n  principals:\n    - name: a\n      type: user\n      policies:\n        - {Statement: [{Effect: Allow, Action: '*'}]}\n")
        #expect(badPolicy?.description == "sqslite.yaml:6: auth.principals[0].policies[0]: invalid policy: Statement[0]: a statement needs Resource or NotResource")
        let unknown = parseError("auth:\n  enable: true\n")
        #expect(unknown?.message == "unknown key `enable` (expected one of enabled, principals)")
        let duplicate = parseError(
            "auth:\n  principals:\n    - {name: a, type: user, accessKeyId: K, secretAccessKey: s}\n    - {name: b, type: user, accessKeyId: K, secretAccessKey: t}\n")
        #expect(duplicate?.message == "access key K is already auth.principals[0]'s")
    }
}
