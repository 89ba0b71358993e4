import SQSEngine
import SQSLambda

/// Links between messages, invocations and mappings: an invocation lists the messages of its
/// batch and names its mapping; a message lists the invocations that received it.
extension AdminResponder {
    /// Where a mapping is shown: its row on its function's page.
    static func mappingHref(_ uuid: String, function: String) -> String {
        "/admin/functions/\(function)#mapping-\(uuid)"
    }

    /// The invocation page's links: its mapping and the messages of its batch.
    func invocationLinks(_ record: InvocationRecord) async -> [String: Any] {
        guard let lambda, let uuid = record.mappingUUID else { return [:] }
        let mapping = await lambda.mappings.list(functionName: record.functionName).first { $0.uuid == uuid }
        let key = mapping.flatMap { QueueKey(arn: $0.eventSourceArn) }
        var context: [String: Any] = [
            "mappingUUID": uuid, "mappingHref": Self.mappingHref(uuid, function: record.functionName),
            "hasBatchMessages": !record.messageIDs.isEmpty,
            "batchMessages": record.messageIDs.map { id -> [String: Any] in
                var row: [String: Any] = ["messageId": id]
                if let key { row["href"] = AdminPaths.message(key, id) }
                return row
            },
        ]
        if let key {
            context["batchQueue"] = key.name
            context["batchQueueHref"] = AdminPaths.queue(key)
        }
        return context
    }

    /// The message page's list of invocations whose batch held the message.
    func messageInvocations(_ messageID: String) -> [String: Any] {
        guard let lambda else { return [:] }
        let records = lambda.invocations.records(forMessage: messageID)
        return [
            "hasProcessors": !records.isEmpty, "lambdaEnabled": true,
            "processors": records.prefix(20).map { record -> [String: Any] in
                [
                    "href": "/admin/invocations/\(record.id)", "id": record.id, "functionName": record.functionName, "status": record.status.rawValue,
                    "time": Self.time(record.startedAt),
                ]
            },
        ]
    }
}
