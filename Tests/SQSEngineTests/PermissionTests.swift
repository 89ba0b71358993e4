import SQSEngine
import Testing

@Suite("AddPermission and RemovePermission")
struct PermissionTests {
    @Test func permissionsBuildThePolicyAsAWSDoesAndTheLastRemovalDropsIt() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.engine.addPermission(key, label: "send", accountIDs: ["111122223333"], actions: ["SendMessage"])
        let arn = key.arn
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["Policy"])["Policy"] == #"{"Version":"2012-10-17","Id":"\#(arn)/SQSDefaultPolicy","Statement":[{"Sid":"send","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"SQS:SendMessage","Resource":"\#(arn)"}]}"#)
        try await fixture.engine.addPermission(key, label: "both", accountIDs: ["111122223333", "444455556666"], actions: ["ReceiveMessage", "DeleteMessage"])
        let policy = try #require(try await fixture.engine.getQueueAttributes(key, names: ["Policy"])["Policy"])
        #expect(policy.hasSuffix(#"{"Sid":"both","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:root"]},"Action":["SQS:ReceiveMessage","SQS:DeleteMessage"],"Resource":"\#(arn)"}]}"#))
        #expect(policy.contains(#"{"Sid":"send","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"SQS:SendMessage","Resource":"\#(arn)"}"#))
        try await fixture.engine.removePermission(key, label: "send")
        try await fixture.engine.removePermission(key, label: "both")
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["Policy"]).isEmpty)
    }

    @Test func errorsAreAWSs() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let engine = fixture.engine
        try await engine.addPermission(key, label: "l", accountIDs: ["111122223333"], actions: ["*"])
        await #expect(throws: EngineError.invalidParameter("Label", value: "l", reason: "Already exists")) {
            try await engine.addPermission(key, label: "l", accountIDs: ["111122223333"], actions: ["SendMessage"])
        }
        await #expect(throws: EngineError.invalidParameter("Label", value: "nope", reason: "can't find label")) {
            try await engine.removePermission(key, label: "nope")
        }
        await #expect(
            throws: EngineError.invalidParameter(
                "ActionName", value: "SQS:CreateQueue", reason: "Please refer to the appropriate WSDL for a list of valid actions. ")
        ) {
            try await engine.addPermission(key, label: "x", accountIDs: ["111122223333"], actions: ["CreateQueue"])
        }
        await #expect(throws: EngineError(.overLimit, "8 Actions were found, maximum allowed is 7.")) {
            try await engine.addPermission(key, label: "x", accountIDs: ["111122223333"], actions: Array(repeating: "SendMessage", count: 8))
        }
        await #expect(throws: EngineError.missingParameter("AWSAccountIds")) {
            try await engine.addPermission(key, label: "x", accountIDs: [], actions: ["SendMessage"])
        }
    }
}
