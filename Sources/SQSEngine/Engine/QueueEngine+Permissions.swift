import FoundationEssentials
import Logging

extension QueueEngine {
    /// The actions AddPermission accepts (besides `*`).
    static let permissionActions: Set<String> = [
        "SendMessage", "ReceiveMessage", "DeleteMessage", "ChangeMessageVisibility", "GetQueueAttributes", "GetQueueUrl",
        "ListDeadLetterSourceQueues", "PurgeQueue", "ListQueueTags",
    ]

    /// AddPermission: adds a statement labelled `label` to the queue's Policy, as AWS builds it:
    /// `{"Version":"2012-10-17","Id":"<arn>/SQSDefaultPolicy","Statement":[{"Sid":…,"Effect":"Allow",
    /// "Principal":{"AWS":…},"Action":…,"Resource":"<arn>"}]}`. The policy is stored, not enforced.
    public func addPermission(_ key: QueueKey, label: String, accountIDs: [String], actions: [String]) async throws(EngineError) {
        let state = try queue(key)
        if label.isEmpty { throw EngineError.missingParameter("Label") }
        if accountIDs.isEmpty { throw EngineError.missingParameter("AWSAccountIds") }
        if actions.isEmpty { throw EngineError.missingParameter("Actions") }
        guard label.count <= 80, label.utf8.allSatisfy({ $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || Character(UnicodeScalar($0)).isLetter || Character(UnicodeScalar($0)).isNumber }) else {
            throw EngineError.invalidParameter(
                "Label", value: label, reason: "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
        }
        if actions.count > 7 {
            throw EngineError(.overLimit, "\(actions.count) Actions were found, maximum allowed is 7.")
        }
        for action in actions where action != "*" && !Self.permissionActions.contains(action) {
            throw EngineError.invalidParameter(
                "ActionName", value: "SQS:\(action)", reason: "Please refer to the appropriate WSDL for a list of valid actions. ")
        }
        var statements = Self.policyStatements(state.record.attributes["Policy"])
        if statements.contains(where: { Self.sid(of: $0) == label }) {
            throw EngineError.invalidParameter("Label", value: label, reason: "Already exists")
        }
        let principals = accountIDs.map { JSONValue.quoted("arn:aws:iam::\($0):root") }
        let principal = principals.count == 1 ? principals[0] : "[" + principals.joined(separator: ",") + "]"
        let actionNames = actions.map { JSONValue.quoted("SQS:\($0)") }
        let action = actionNames.count == 1 ? actionNames[0] : "[" + actionNames.joined(separator: ",") + "]"
        statements.append(
            #"{"Sid":\#(JSONValue.quoted(label)),"Effect":"Allow","Principal":{"AWS":\#(principal)},"Action":\#(action),"Resource":\#(JSONValue.quoted(key.arn))}"#)
        try await savePolicy(state, statements: statements)
    }

    /// RemovePermission: removes the statement labelled `label`; the last one removes the Policy.
    public func removePermission(_ key: QueueKey, label: String) async throws(EngineError) {
        let state = try queue(key)
        if label.isEmpty { throw EngineError.missingParameter("Label") }
        var statements = Self.policyStatements(state.record.attributes["Policy"])
        guard let index = statements.firstIndex(where: { Self.sid(of: $0) == label }) else {
            throw EngineError.invalidParameter("Label", value: label, reason: "can't find label")
        }
        statements.remove(at: index)
        try await savePolicy(state, statements: statements)
    }

    private func savePolicy(_ state: QueueState, statements: [String]) async throws(EngineError) {
        var record = state.record
        if statements.isEmpty {
            record.attributes["Policy"] = nil
        } else {
            let id = JSONValue.quoted("\(state.key.arn)/SQSDefaultPolicy")
            record.attributes["Policy"] = #"{"Version":"2012-10-17","Id":\#(id),"Statement":[\#(statements.joined(separator: ","))]}"#
        }
        record.modifiedAt = clock.now()
        state.setAttributes(record.attributes)
        state.record.modifiedAt = record.modifiedAt
        try await persist([.saveQueue(state.record)])
        logger.debug("queue policy changed", metadata: ["queue": "\(state.key)", "statements": "\(statements.count)"])
    }

    /// The statements of a policy document, each as compact JSON text (ours keep AWS's key order).
    static func policyStatements(_ policy: String?) -> [String] {
        guard let policy, let fields = jsonObject(policy) else { return [] }
        switch fields["Statement"] {
        case .array(let statements)?: return statements.map(policyJSON)
        case let statement?: return [policyJSON(statement)]
        case nil: return []
        }
    }

    /// Compact JSON with policy keys in AWS's order (Sid, Effect, Principal, Action, Resource), others sorted after.
    static func policyJSON(_ value: JSONValue) -> String {
        let order = ["Version", "Id", "Sid", "Effect", "Principal", "Action", "Resource", "Condition"]
        switch value {
        case .object(let fields):
            let keys = fields.keys.sorted { (order.firstIndex(of: $0) ?? order.count, $0) < (order.firstIndex(of: $1) ?? order.count, $1) }
            return "{" + keys.map { JSONValue.quoted($0) + ":" + policyJSON(fields[$0]!) }.joined(separator: ",") + "}"
        case .array(let items):
            return "[" + items.map(policyJSON).joined(separator: ",") + "]"
        case .string(let text):
            return JSONValue.quoted(text)
        default:
            return value.jsonString
        }
    }

    static func sid(of statement: String) -> String? {
        jsonObject(statement)?["Sid"]?.stringValue
    }
}
