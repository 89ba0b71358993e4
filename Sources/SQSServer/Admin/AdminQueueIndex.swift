import SQSEngine

/// Every queue as the admin page sees it, built off the engine from one
/// ``QueueEngine/queueDirectory()`` snapshot: the dead-letter links both ways (each RedrivePolicy
/// parsed once, in one pass), and pages of the list sorted by account, region and name.
///
/// Building it is O(queues); only the queues of the page shown have their messages counted
/// (``QueueEngine/queueStatistics(of:)``), so an open admin tab costs the engine two short calls
/// per poll whatever the number of queues.
struct AdminQueueIndex {
    /// A page of the list and the number of queues matching the filter.
    struct Page {
        var summaries: [QueueSummary]
        var total: Int
        var offset: Int
        var limit: Int
    }

    private let entries: [QueueKey: QueueDirectoryEntry]
    private let targets: [QueueKey: RedriveLink]
    private let sources: [QueueKey: [QueueKey]]
    private let engine: QueueEngine

    /// Takes the engine's directory and links each queue to its dead-letter queue and back.
    init(engine: QueueEngine, policies: RedrivePolicyCache) async {
        let directory = await engine.queueDirectory()
        var entries: [QueueKey: QueueDirectoryEntry] = [:]
        entries.reserveCapacity(directory.count)
        for entry in directory { entries[entry.key] = entry }
        var targets: [QueueKey: RedriveLink] = [:]
        var sources: [QueueKey: [QueueKey]] = [:]
        for entry in directory {
            guard let policy = entry.redrivePolicy, let link = policies.link(policy), link.target != entry.key,
                entries[link.target] != nil
            else { continue }
            targets[entry.key] = link
            sources[link.target, default: []].append(entry.key)
        }
        self.engine = engine
        self.entries = entries
        self.targets = targets
        self.sources = sources
    }

    /// Whether the queue exists.
    func contains(_ key: QueueKey) -> Bool {
        entries[key] != nil
    }

    /// The queues whose names contain `filter` (ignoring case), sorted, from `offset`, at most `limit`.
    func page(filter: String?, offset: Int, limit: Int) async -> Page {
        // Queue names have no spaces: whatever spaces the filter has are typing slips.
        let needle = (filter ?? "").filter { !$0.isWhitespace }.lowercased()
        var matching: [(sortKey: String, key: QueueKey)] = []
        matching.reserveCapacity(entries.count)
        for key in entries.keys where needle.isEmpty || key.name.lowercased().contains(needle) {
            matching.append((key.description, key))
        }
        matching.sort { $0.sortKey < $1.sortKey }
        let start = min(offset, matching.count)
        let keys = matching[start..<(start + min(limit, matching.count - start))].map(\.key)
        return Page(summaries: await summaries(keys), total: matching.count, offset: offset, limit: limit)
    }

    /// The summaries of `keys` (queues deleted meanwhile are left out), in that order.
    func summaries(_ keys: [QueueKey]) async -> [QueueSummary] {
        let statistics = await engine.queueStatistics(of: keys)
        var byKey: [QueueKey: QueueStatistics] = [:]
        for item in statistics { byKey[item.key] = item }
        return keys.compactMap { key in
            guard let entry = entries[key], let numbers = byKey[key] else { return nil }
            let sources = (sources[key] ?? []).sorted { $0.name < $1.name }
            return QueueSummary(entry, statistics: numbers, target: targets[key], sources: sources)
        }
    }
}
