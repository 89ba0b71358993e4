import SQSEngine

/// SQS's part of a reset: every queue with its messages, deduplication ids and move tasks (one
/// store transaction); one queue by name, URL or ARN.
struct SQSReset: ResettableService {
    let engine: QueueEngine
    let defaults: ServerDefaults

    var name: String { "sqs" }

    func resetAll() async throws -> [String: Int] {
        let summary = try await engine.resetAll()
        return ["queues": summary.queues, "messages": summary.messages]
    }

    func reset(resource: String) async throws -> [String: Int]? {
        let key: QueueKey
        if let arn = QueueKey(arn: resource) {
            key = arn
        } else {
            let parts = resource.split(separator: "/")
            let name = parts.last.map(String.init) ?? resource
            let account = parts.count >= 2 ? String(parts[parts.count - 2]) : defaults.account
            key = QueueKey(account: account.count == 12 ? account : defaults.account, region: defaults.region, name: name)
        }
        guard await engine.queueExists(key) else { return nil }
        let summary = try await engine.resetQueue(key)
        return ["queues": summary.queues, "messages": summary.messages]
    }
}
