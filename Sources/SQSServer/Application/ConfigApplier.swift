import FoundationEssentials
import SQSEngine

/// Creates the config file's queues through the engine, idempotently: a queue that exists gets
/// the file's attributes and tags set instead, so a restart with the same file changes nothing.
struct ConfigApplier {
    let engine: QueueEngine
    let account: String
    let region: String

    func apply(_ config: ConfigFile) async throws(StartupError) {
        for queue in Self.creationOrder(config.queues) {
            let key = QueueKey(account: account, region: region, name: queue.name)
            do {
                if await engine.queueExists(key) {
                    if !queue.attributes.isEmpty {
                        try await engine.setQueueAttributes(key, attributes: queue.attributes)
                    }
                    if !queue.tags.isEmpty {
                        try await engine.tagQueue(key, tags: queue.tags)
                    }
                } else {
                    _ = try await engine.createQueue(key, attributes: queue.attributes, tags: queue.tags)
                }
            } catch {
                throw StartupError(describe(error, queue: queue, config: config))
            }
        }
    }

    private func describe(_ error: EngineError, queue: QueueDefinition, config: ConfigFile) -> String {
        // Name the attribute the engine complained about, and its line, when the message names one.
        let attribute = queue.attributes.keys.sorted { $0.count > $1.count }.first { error.message.contains($0) }
        let line = attribute.flatMap { queue.attributeLines[$0] } ?? queue.line
        let key = attribute.map { "queues[\(queue.name)].attributes.\($0)" } ?? "queues[\(queue.name)]"
        return "\(config.path):\(line): \(key): \(error.code.rawValue): \(error.message)"
    }

    /// The queues in an order that creates each dead-letter queue before the queues that name it
    /// in their `RedrivePolicy`, so the file may list them in any order; otherwise the file's order.
    static func creationOrder(_ queues: [QueueDefinition]) -> [QueueDefinition] {
        var byName: [String: Int] = [:]
        for (index, queue) in queues.enumerated() { byName[queue.name] = index }
        var placed = Array(repeating: false, count: queues.count)
        var visiting = Array(repeating: false, count: queues.count)
        var ordered: [QueueDefinition] = []
        ordered.reserveCapacity(queues.count)
        func place(_ index: Int) {
            guard !placed[index], !visiting[index] else { return }
            visiting[index] = true
            if let target = deadLetterTargetName(queues[index]), let targetIndex = byName[target], targetIndex != index {
                place(targetIndex)
            }
            visiting[index] = false
            placed[index] = true
            ordered.append(queues[index])
        }
        for index in queues.indices { place(index) }
        return ordered
    }

    private static func deadLetterTargetName(_ queue: QueueDefinition) -> String? {
        guard let policy = queue.attributes["RedrivePolicy"],
            case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: Data(policy.utf8)),
            let arn = fields["deadLetterTargetArn"]?.stringValue, let key = QueueKey(arn: arn)
        else { return nil }
        return key.name
    }
}
