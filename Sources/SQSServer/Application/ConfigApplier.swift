import SQSEngine

/// Creates the config file's queues through the engine, idempotently: a queue that exists gets
/// the file's attributes and tags set instead, so a restart with the same file changes nothing.
struct ConfigApplier {
    let engine: QueueEngine
    let account: String
    let region: String

    func apply(_ config: ConfigFile) async throws(StartupError) {
        for queue in config.queues {
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
}
