import Testing

@testable import SQSEngine

struct PermissionTests {
    static let arn = "arn:aws:sqs:us-east-1:000000000000:q"
    static let sendStatement =
        #"{"Sid":"send","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"SQS:SendMessage","Resource":"\#(arn)"}"#
    static let readStatement =
        #"{"Sid":"read","Effect":"Allow","Principal":{"AWS":["arn:aws:iam::111122223333:root","arn:aws:iam::444455556666:root"]},"#
        + #""Action":["SQS:ReceiveMessage","SQS:DeleteMessage"],"Resource":"\#(arn)"}"#

    static func policy(_ statements: String...) -> String {
        #"{"Version":"2008-10-17","Id":"\#(arn)/SQSDefaultPolicy","Statement":[\#(statements.joined(separator: ","))]}"#
    }

    func policy(_ fixture: EngineFixture, _ key: QueueKey) async throws -> String? {
        try await fixture.engine.getQueueAttributes(key, names: ["Policy"])["Policy"]
    }

    // MARK: - The policy document

    @Test func addPermissionStartsThePolicyAsAWSBuildsIt() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        #expect(key.arn == Self.arn)
        fixture.clock.advance(seconds: 5)
        try await fixture.engine.addPermission(key, label: "send", accountIDs: ["111122223333"], actions: ["SendMessage"])
        #expect(try await policy(fixture, key) == Self.policy(Self.sendStatement))
        let stored = try #require(try await fixture.store.load().queues.first)
        #expect(stored.attributes["Policy"] == Self.policy(Self.sendStatement))
        #expect(stored.modifiedAt == EngineFixture.start.adding(seconds: 5))
    }

    @Test func severalAccountsOrActionsAreListsAndStatementsKeepTheirOrder() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.engine.addPermission(key, label: "send", accountIDs: ["111122223333"], actions: ["SendMessage"])
        try await fixture.engine.addPermission(
            key, label: "read", accountIDs: ["111122223333", "444455556666"], actions: ["ReceiveMessage", "DeleteMessage"])
        #expect(try await policy(fixture, key) == Self.policy(Self.sendStatement, Self.readStatement))
        try await fixture.engine.addPermission(key, label: "all_1", accountIDs: ["777788889999"], actions: ["*"])
        let text = try #require(try await policy(fixture, key))
        #expect(
            text.hasSuffix(
                #",{"Sid":"all_1","Effect":"Allow","Principal":{"AWS":"arn:aws:iam::777788889999:root"},"#
                    + #""Action":"SQS:*","Resource":"\#(Self.arn)"}]}"#))
    }

    @Test func removingStatementsKeepsTheRestAndTheLastRemovesThePolicy() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.engine.addPermission(key, label: "send", accountIDs: ["111122223333"], actions: ["SendMessage"])
        try await fixture.engine.addPermission(
            key, label: "read", accountIDs: ["111122223333", "444455556666"], actions: ["ReceiveMessage", "DeleteMessage"])
        try await fixture.engine.removePermission(key, label: "send")
        #expect(try await policy(fixture, key) == Self.policy(Self.readStatement))
        try await fixture.engine.removePermission(key, label: "read")
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["Policy"]) == [:])
        #expect(try await fixture.engine.getQueueAttributes(key, names: ["All"])["Policy"] == nil)
        #expect(try await fixture.store.load().queues.first?.attributes["Policy"] == nil)
        // A removed label may be added again.
        try await fixture.engine.addPermission(key, label: "send", accountIDs: ["111122223333"], actions: ["SendMessage"])
        #expect(try await policy(fixture, key) == Self.policy(Self.sendStatement))
    }

    @Test func aPolicySetByTheUserIsKeptAndExtended() async throws {
        let fixture = try await EngineFixture.make()
        let custom =
            #"{"Version":"2012-10-17","Id":"mine","Statement":{"Sid":"own","Effect":"Deny","Principal":"*","Action":"sqs:PurgeQueue","#
            + #""Resource":"\#(Self.arn)","Condition":{"NumericLessThan":{"aws:EpochTime":1700000000}}}}"#
        let key = try await fixture.createQueue("q", ["Policy": custom])
        try await fixture.engine.addPermission(key, label: "send", accountIDs: ["111122223333"], actions: ["SendMessage"])
        let own =
            #"{"Sid":"own","Effect":"Deny","Principal":"*","Action":"sqs:PurgeQueue","Resource":"\#(Self.arn)","#
            + #""Condition":{"NumericLessThan":{"aws:EpochTime":1700000000}}}"#
        #expect(try await policy(fixture, key) == #"{"Version":"2012-10-17","Id":"mine","Statement":[\#(own),\#(Self.sendStatement)]}"#)
        await #expect(throws: EngineError.invalidParameter("Label", value: "own", reason: "Already exists")) {
            try await fixture.engine.addPermission(key, label: "own", accountIDs: ["111122223333"], actions: ["SendMessage"])
        }
        try await fixture.engine.removePermission(key, label: "own")
        try await fixture.engine.removePermission(key, label: "send")
        #expect(try await policy(fixture, key) == nil)
    }

    @Test func thePolicySurvivesARestart() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        try await fixture.engine.addPermission(key, label: "send", accountIDs: ["111122223333"], actions: ["SendMessage"])
        let restarted = try await fixture.restarted()
        #expect(try await policy(restarted, key) == Self.policy(Self.sendStatement))
        try await restarted.engine.removePermission(key, label: "send")
        #expect(try await policy(try await restarted.restarted(), key) == nil)
    }

    // MARK: - Errors

    @Test func labelsMustBeNewValidAndKnownToRemove() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let engine = fixture.engine
        try await engine.addPermission(key, label: "dup", accountIDs: ["111122223333"], actions: ["*"])
        await #expect(throws: EngineError(.invalidParameterValue, "Value dup for parameter Label is invalid. Reason: Already exists.")) {
            try await engine.addPermission(key, label: "dup", accountIDs: ["444455556666"], actions: ["SendMessage"])
        }
        await #expect(throws: EngineError(.invalidParameterValue, "Value nope for parameter Label is invalid. Reason: can't find label.")) {
            try await engine.removePermission(key, label: "nope")
        }
        await #expect(throws: EngineError.missingParameter("Label")) {
            try await engine.addPermission(key, label: "", accountIDs: ["111122223333"], actions: ["SendMessage"])
        }
        await #expect(throws: EngineError.missingParameter("Label")) {
            try await engine.removePermission(key, label: "")
        }
        let reason = "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length"
        for label in ["has space", "dot.ted", "é", String(repeating: "a", count: 81)] {
            await #expect(throws: EngineError.invalidParameter("Label", value: label, reason: reason)) {
                try await engine.addPermission(key, label: label, accountIDs: ["111122223333"], actions: ["SendMessage"])
            }
        }
        try await engine.addPermission(key, label: String(repeating: "a", count: 80), accountIDs: ["111122223333"], actions: ["SendMessage"])
        try await engine.addPermission(key, label: "Az09-_", accountIDs: ["111122223333"], actions: ["SendMessage"])
    }

    @Test func actionsMustBeGrantableAndAtMostSeven() async throws {
        let fixture = try await EngineFixture.make()
        let key = try await fixture.createQueue("q")
        let engine = fixture.engine
        for action in ["SendMessageBatch", "DeleteMessageBatch", "sendmessage", "Bogus"] {
            await #expect(
                throws: EngineError(
                    .invalidParameterValue,
                    "Value SQS:\(action) for parameter ActionName is invalid. "
                        + "Reason: Please refer to the appropriate WSDL for a list of valid actions. ")
            ) {
                try await engine.addPermission(key, label: "x", accountIDs: ["111122223333"], actions: ["SendMessage", action])
            }
        }
        for action in ["AddPermission", "RemovePermission", "CreateQueue", "SetQueueAttributes", "DeleteQueue", "ListQueueTags", "TagQueue"] {
            await #expect(
                throws: EngineError(
                    .invalidParameterValue,
                    "Value SQS:\(action) for parameter ActionName is invalid. Reason: Only the queue owner is allowed to invoke this action.")
            ) {
                try await engine.addPermission(key, label: "x", accountIDs: ["111122223333"], actions: [action])
            }
        }
        await #expect(throws: EngineError(.overLimit, "8 Actions were found, maximum allowed is 7.")) {
            try await engine.addPermission(key, label: "x", accountIDs: ["111122223333"], actions: Array(repeating: "SendMessage", count: 8))
        }
        await #expect(throws: EngineError.missingParameter("Actions")) {
            try await engine.addPermission(key, label: "x", accountIDs: ["111122223333"], actions: [])
        }
        await #expect(throws: EngineError.invalidParameter("PrincipalId", value: "[]", reason: "Unable to verify")) {
            try await engine.addPermission(key, label: "x", accountIDs: [], actions: ["SendMessage"])
        }
        // Nothing was written by the refused requests; every grantable action is accepted.
        #expect(try await policy(fixture, key) == nil)
        let grantable = [
            "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl",
            "ListDeadLetterSourceQueues",
        ]
        try await engine.addPermission(key, label: "seven", accountIDs: ["111122223333"], actions: grantable)
        try await engine.addPermission(key, label: "purge", accountIDs: ["111122223333"], actions: ["PurgeQueue"])
    }

    @Test func unknownQueuesAreRefused() async throws {
        let fixture = try await EngineFixture.make()
        let key = EngineFixture.key("missing")
        await #expect(throws: EngineError.queueDoesNotExist) {
            try await fixture.engine.addPermission(key, label: "x", accountIDs: ["111122223333"], actions: ["SendMessage"])
        }
        await #expect(throws: EngineError.queueDoesNotExist) {
            try await fixture.engine.removePermission(key, label: "x")
        }
    }
}
