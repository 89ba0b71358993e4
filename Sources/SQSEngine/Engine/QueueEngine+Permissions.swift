import Logging

extension QueueEngine {
    /// The actions AddPermission grants besides `*`: the ones cross-account permissions apply to.
    /// (Granting SendMessage, DeleteMessage or ChangeMessageVisibility also covers their batch forms.)
    static let grantableActions: Set<String> = [
        "ChangeMessageVisibility", "DeleteMessage", "GetQueueAttributes", "GetQueueUrl", "ListDeadLetterSourceQueues", "PurgeQueue",
        "ReceiveMessage", "SendMessage",
    ]

    /// The actions only the queue's owner may call, which AWS documents as outside cross-account
    /// permissions; AddPermission refuses to grant them.
    static let ownerOnlyActions: Set<String> = [
        "AddPermission", "CancelMessageMoveTask", "CreateQueue", "DeleteQueue", "ListMessageMoveTasks", "ListQueues", "ListQueueTags",
        "RemovePermission", "SetQueueAttributes", "StartMessageMoveTask", "TagQueue", "UntagQueue",
    ]

    /// At most this many actions in one AddPermission statement.
    static let maxPermissionActions = 7

    /// The `Version` of a policy that AddPermission starts (as AWS-recorded responses show it).
    static let permissionPolicyVersion = "2008-10-17"

    /// AddPermission: appends a statement labelled `label` to the queue's `Policy` attribute, starting
    /// the document when the queue has none. With authentication on (`--auth`), the server enforces it.
    ///
    /// The statement is built as AWS builds it, with a single principal or action as a plain string:
    /// ```json
    /// {"Version":"2008-10-17","Id":"<queue arn>/SQSDefaultPolicy","Statement":[{"Sid":"<label>","Effect":"Allow",
    ///  "Principal":{"AWS":"arn:aws:iam::<account>:root"},"Action":"SQS:<action>","Resource":"<queue arn>"}]}
    /// ```
    /// - Parameters:
    ///   - label: the statement's `Sid`: 1–80 letters, digits, `-` or `_`, not already in the policy.
    ///   - accountIDs: the accounts granted the actions.
    ///   - actions: 1–7 action names without the `SQS:` prefix, or `*`.
    public func addPermission(_ key: QueueKey, label: String, accountIDs: [String], actions: [String]) async throws(EngineError) {
        let state = try queue(key)
        try Self.validatePermissionLabel(label)
        if accountIDs.isEmpty {
            throw EngineError.invalidParameter("PrincipalId", value: "[]", reason: "Unable to verify")
        }
        try Self.validatePermissionActions(actions)
        let policy = state.record.attributes["Policy"].flatMap(Self.jsonObject) ?? Self.defaultPolicy(for: key)
        var statements = Self.policyStatements(policy)
        if statements.contains(where: { Self.sid(of: $0) == label }) {
            throw EngineError.invalidParameter("Label", value: label, reason: "Already exists")
        }
        let principals = accountIDs.map { JSONValue.string("arn:aws:iam::\($0):root") }
        let grants = actions.map { JSONValue.string("SQS:\($0)") }
        statements.append(
            .object([
                "Sid": .string(label),
                "Effect": .string("Allow"),
                "Principal": .object(["AWS": principals.count == 1 ? principals[0] : .array(principals)]),
                "Action": grants.count == 1 ? grants[0] : .array(grants),
                "Resource": .string(key.arn),
            ]))
        try await savePolicy(state, policy, statements: statements)
    }

    /// The queue's `Policy` attribute, what authorization reads as the queue's resource policy;
    /// `nil` when the queue has none or does not exist. Read without entering the actor.
    public nonisolated func policy(of key: QueueKey) -> String? {
        policies[key]
    }

    /// RemovePermission: removes the statement labelled `label`; removing the last one removes the
    /// `Policy` attribute altogether.
    public func removePermission(_ key: QueueKey, label: String) async throws(EngineError) {
        let state = try queue(key)
        if label.isEmpty { throw EngineError.missingParameter("Label") }
        let policy = state.record.attributes["Policy"].flatMap(Self.jsonObject) ?? [:]
        var statements = Self.policyStatements(policy)
        guard let index = statements.firstIndex(where: { Self.sid(of: $0) == label }) else {
            throw EngineError.invalidParameter("Label", value: label, reason: "can't find label")
        }
        statements.remove(at: index)
        try await savePolicy(state, policy, statements: statements)
    }

    private func savePolicy(_ state: QueueState, _ policy: [String: JSONValue], statements: [JSONValue]) async throws(EngineError) {
        var attributes = state.record.attributes
        if statements.isEmpty {
            attributes["Policy"] = nil
        } else {
            var policy = policy
            policy["Statement"] = .array(statements)
            attributes["Policy"] = Self.policyText(.object(policy))
        }
        state.setAttributes(attributes)
        policies.update(state.key, attributes["Policy"])
        state.record.modifiedAt = clock.now()
        try await persist([.saveQueue(state.record)])
        logger.debug("queue policy changed", metadata: ["queue": "\(state.key)", "statements": "\(statements.count)"])
    }

    private static func validatePermissionLabel(_ label: String) throws(EngineError) {
        if label.isEmpty { throw EngineError.missingParameter("Label") }
        let allowed = label.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
        guard allowed, label.utf8.count <= 80 else {
            throw EngineError.invalidParameter(
                "Label", value: label, reason: "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
    }

    private static func validatePermissionActions(_ actions: [String]) throws(EngineError) {
        if actions.isEmpty { throw EngineError.missingParameter("Actions") }
        if actions.count > maxPermissionActions {
            throw EngineError(.overLimit, "\(actions.count) Actions were found, maximum allowed is \(maxPermissionActions).")
        }
        for action in actions where action != "*" && !grantableActions.contains(action) {
            if ownerOnlyActions.contains(action) {
                throw EngineError.invalidParameter(
                    "ActionName", value: "SQS:\(action)", reason: "Only the queue owner is allowed to invoke this action")
            }
            // Not `invalidParameter`: this reason ends in ". ", with AWS's trailing space.
            throw EngineError(
                .invalidParameterValue,
                "Value SQS:\(action) for parameter ActionName is invalid. "
                    + "Reason: Please refer to the appropriate WSDL for a list of valid actions. ")
        }
    }

    /// The document AddPermission starts from when the queue has no policy.
    private static func defaultPolicy(for key: QueueKey) -> [String: JSONValue] {
        ["Version": .string(permissionPolicyVersion), "Id": .string("\(key.arn)/SQSDefaultPolicy")]
    }

    /// A policy's statements; a policy set through SetQueueAttributes may hold a single statement object.
    private static func policyStatements(_ policy: [String: JSONValue]) -> [JSONValue] {
        switch policy["Statement"] {
        case .array(let statements)?: statements
        case let statement?: [statement]
        case nil: []
        }
    }

    private static func sid(of statement: JSONValue) -> String? {
        guard case .object(let fields) = statement else { return nil }
        return fields["Sid"]?.stringValue
    }

    /// The order AWS writes policy members in; members it does not name follow, sorted.
    private static let policyKeyOrder = [
        "Version", "Id", "Statement", "Sid", "Effect", "Principal", "NotPrincipal", "Action", "NotAction", "Resource", "NotResource",
        "Condition",
    ]

    /// Compact JSON for a policy document, members in AWS's order, so the text is stable.
    static func policyText(_ value: JSONValue) -> String {
        switch value {
        case .object(let fields):
            func rank(_ name: String) -> Int { policyKeyOrder.firstIndex(of: name) ?? policyKeyOrder.count }
            let members = fields.sorted { (rank($0.key), $0.key) < (rank($1.key), $1.key) }
            return "{" + members.map { JSONValue.quoted($0.key) + ":" + policyText($0.value) }.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map(policyText).joined(separator: ",") + "]"
        case .string(let text):
            return JSONValue.quoted(text)
        case .null, .bool, .number:
            return value.jsonString
        }
    }
}
