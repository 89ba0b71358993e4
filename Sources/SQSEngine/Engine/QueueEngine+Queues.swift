import Logging
import FoundationEssentials

extension QueueEngine {
    /// CreateQueue: creates the queue, or returns the existing one when every given attribute matches.
    public func createQueue(_ key: QueueKey, attributes: [String: String], tags: [String: String]) async throws(EngineError) -> QueueKey {
        let fifo = attributes["FifoQueue"]?.lowercased() == "true"
        try Self.validateQueueName(key.name, fifo: fifo)
        var canonical: [String: String] = [:]
        for (name, value) in attributes {
            canonical[name] = try QueueAttributeRules.validate(name: name, value: value, fifo: fifo, creating: true)
        }
        try validateRedrive(canonical, source: key, fifo: fifo)
        try Self.validateTags(tags, queueName: key.name, existingCount: 0)
        if let existing = queues[key] {
            for (name, value) in canonical.sorted(by: { $0.key < $1.key }) where existing.record.attributes[name] != value {
                if name == "Policy" && value.isEmpty && existing.record.attributes[name] == nil { continue }
                throw EngineError(.queueNameExists, "A queue already exists with the same name and a different value for attribute \(name)")
            }
            return key
        }
        try checkNotDeletedRecently(key)
        var stored = QueueAttributeRules.defaults(fifo: fifo)
        for (name, value) in canonical {
            if value.isEmpty && ["Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId"].contains(name) {
                stored[name] = nil
            } else {
                stored[name] = value
            }
        }
        if stored["KmsMasterKeyId"] != nil {
            stored["SqsManagedSseEnabled"] = "false"
            stored["KmsDataKeyReusePeriodSeconds"] = stored["KmsDataKeyReusePeriodSeconds"] ?? "300"
        }
        let now = clock.now()
        highestQueueID += 1
        let record = QueueRecord(id: highestQueueID, key: key, attributes: stored, tags: tags, createdAt: now, modifiedAt: now)
        queues[key] = QueueState(record: record)
        policies.update(key, stored["Policy"])
        try await persist([.saveQueue(record)])
        logger.info("queue created", metadata: ["queue": "\(key)"])
        return key
    }

    /// Whether a queue exists (GetQueueUrl).
    private func checkNotDeletedRecently(_ key: QueueKey) throws(EngineError) {
        guard let deletedAt = recentlyDeleted[key] else { return }
        let now = clock.now()
        recentlyDeleted = recentlyDeleted.filter { $0.value.adding(seconds: configuration.deletedQueueCooldown) > now }
        if deletedAt.adding(seconds: configuration.deletedQueueCooldown) > now {
            throw EngineError(
                .queueDeletedRecently,
                "You must wait \(configuration.deletedQueueCooldown) seconds after deleting a queue before you can create another with the same name.")
        }
    }

    private func validateRedrive(_ attributes: [String: String], source: QueueKey, fifo: Bool) throws(EngineError) {
        if let policy = attributes["RedrivePolicy"] {
            try validateRedrivePolicy(policy, source: source, fifo: fifo)
        }
        if let allow = attributes["RedriveAllowPolicy"] {
            try Self.validateRedriveAllowPolicy(allow)
        }
    }

    public func queueExists(_ key: QueueKey) -> Bool {
        queues[key] != nil
    }

    /// GetQueueUrl: checks that the queue exists.
    public func getQueue(_ key: QueueKey) throws(EngineError) -> QueueKey {
        try queue(key).key
    }

    /// ListQueues for one account and region, by name prefix, with optional paging.
    public func listQueues(account: String, region: String, prefix: String?, maxResults: Int?, nextToken: String?) throws(EngineError) -> QueueListPage {
        let keys = queues.keys.filter { $0.account == account && $0.region == region && (prefix.map($0.name.hasPrefix) ?? true) }
        return try Self.page(keys, by: \.name, maxResults: maxResults, nextToken: nextToken)
    }

    /// One page of queues sorted by `sortKey`: at most `maxResults` (1–1000), after the one a
    /// `nextToken` names; the token (of the last one) only when `maxResults` was given and more remain.
    static func page(
        _ keys: some Sequence<QueueKey>, by sortKey: (QueueKey) -> String, maxResults: Int?, nextToken: String?
    ) throws(EngineError) -> QueueListPage {
        if let maxResults, !(1...1000).contains(maxResults) {
            throw EngineError.invalidParameter("MaxResults", value: String(maxResults), reason: "MaxResults must be an integer between 1 and 1000")
        }
        var after: String?
        if let nextToken, !nextToken.isEmpty {
            guard let data = Data(base64Encoded: nextToken), let name = String(validating: [UInt8](data), as: UTF8.self) else {
                throw EngineError(.invalidParameterValue, "Invalid NextToken value.")
            }
            after = name
        }
        let sorted = keys.map { (sortKey($0), $0) }.sorted { $0.0 < $1.0 }.filter { after == nil || $0.0 > after! }
        let limit = maxResults ?? 1000
        let page = Array(sorted.prefix(limit))
        var token: String?
        if maxResults != nil, sorted.count > limit, let last = page.last {
            token = Data(last.0.utf8).base64EncodedString()
        }
        return QueueListPage(queues: page.map(\.1), nextToken: token)
    }

    /// DeleteQueue: removes the queue and its messages; waiting receives return empty.
    public func deleteQueue(_ key: QueueKey) async throws(EngineError) {
        let state = try queue(key)
        queues[key] = nil
        policies.update(key, nil)
        if configuration.deletedQueueCooldown > 0 {
            recentlyDeleted[key] = clock.now()
        }
        waiters.wakeAll(queueID: state.id)
        try await persist([.deleteQueue(queueID: state.id, sequences: state.storedSequences)])
        logger.info("queue deleted", metadata: ["queue": "\(key)"])
    }

    /// GetQueueAttributes: `names` may hold `All`; unknown names are an error.
    public func getQueueAttributes(_ key: QueueKey, names: [String]) throws(EngineError) -> [String: String] {
        let state = try queue(key)
        for name in names where name != "All" && !QueueAttributeRules.readable.contains(name) {
            throw EngineError(.invalidAttributeName, "Unknown Attribute \(name).")
        }
        let wanted = Set(names)
        let all = wanted.contains("All")
        var result: [String: String] = [:]
        for (name, value) in state.record.attributes where all || wanted.contains(name) {
            result[name] = value
        }
        func add(_ name: String, _ value: @autoclosure () -> String) {
            if all || wanted.contains(name) { result[name] = value() }
        }
        let counts = state.counts(now: clock.now())
        add("ApproximateNumberOfMessages", String(counts.visible))
        add("ApproximateNumberOfMessagesNotVisible", String(counts.inFlight))
        add("ApproximateNumberOfMessagesDelayed", String(counts.delayed))
        add("CreatedTimestamp", String(state.record.createdAt.seconds))
        add("LastModifiedTimestamp", String(state.record.modifiedAt.seconds))
        add("QueueArn", key.arn)
        return result
    }

    /// SetQueueAttributes: validates every attribute first, then applies them all.
    public func setQueueAttributes(_ key: QueueKey, attributes: [String: String]) async throws(EngineError) {
        let state = try queue(key)
        var updated = state.record.attributes
        for (name, value) in attributes {
            if name == "FifoQueue" && state.isFIFO {
                // Setting what it already is succeeds; changing it does not.
                guard value.lowercased() == "true" else {
                    throw EngineError(.invalidAttributeValue, "Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.")
                }
                continue
            }
            let canonical = try QueueAttributeRules.validate(name: name, value: value, fifo: state.isFIFO, creating: false)
            try validateRedrive([name: canonical], source: key, fifo: state.isFIFO)
            if canonical.isEmpty && ["Policy", "RedrivePolicy", "RedriveAllowPolicy", "KmsMasterKeyId"].contains(name) {
                updated[name] = nil
                if name == "KmsMasterKeyId" { updated["KmsDataKeyReusePeriodSeconds"] = nil }
            } else {
                updated[name] = canonical
            }
        }
        if attributes["KmsMasterKeyId"].map({ !$0.isEmpty }) == true {
            if attributes["SqsManagedSseEnabled"]?.lowercased() == "true" {
                throw EngineError(
                    .invalidAttributeName,
                    "You can use one type of server-side encryption (SSE) at one time. You can either enable KMS SSE or SQS SSE.")
            }
            updated["SqsManagedSseEnabled"] = "false"
            updated["KmsDataKeyReusePeriodSeconds"] = updated["KmsDataKeyReusePeriodSeconds"] ?? "300"
        } else if attributes["SqsManagedSseEnabled"]?.lowercased() == "true" {
            updated["KmsMasterKeyId"] = nil
            updated["KmsDataKeyReusePeriodSeconds"] = nil
        }
        // Clearing the KMS key clears its reuse period too, whatever else the request sets.
        if attributes["KmsMasterKeyId"]?.isEmpty == true {
            updated["KmsDataKeyReusePeriodSeconds"] = nil
        }
        state.setAttributes(updated)
        policies.update(key, updated["Policy"])
        state.record.modifiedAt = clock.now()
        try await persist([.saveQueue(state.record)])
        // A shorter wait or delay may change what long polls should do.
        waiters.wakeAll(queueID: state.id)
    }

    /// PurgeQueue: deletes every message; allowed once per 60 seconds.
    public func purgeQueue(_ key: QueueKey) async throws(EngineError) {
        let state = try queue(key)
        let now = clock.now()
        if let last = state.record.lastPurgedAt, last.adding(seconds: 60) > now {
            throw EngineError(.purgeQueueInProgress, "Only one PurgeQueue operation on \(key.name) is allowed every 60 seconds.")
        }
        let sequences = state.storedSequences
        state.removeAll()
        state.record.lastPurgedAt = now
        // PurgeQueue also forgets a FIFO queue's deduplication ids, as on AWS.
        let forgetsDeduplications = !state.deduplications.isEmpty
        state.deduplications.removeAll()
        var changes: [StoreChange] = [.purgeMessages(queueID: state.id, sequences: sequences), .saveQueue(state.record)]
        if forgetsDeduplications { changes.append(.forgetDeduplications(queueID: state.id)) }
        try await persist(changes)
        logger.info("queue purged", metadata: ["queue": "\(key)"])
    }

    /// TagQueue: adds or overwrites tags (at most 50 per queue).
    public func tagQueue(_ key: QueueKey, tags: [String: String]) async throws(EngineError) {
        let state = try queue(key)
        if tags.isEmpty { throw EngineError.missingParameter("Tags") }
        let merged = state.record.tags.merging(tags) { _, new in new }
        try Self.validateTags(merged, queueName: key.name, existingCount: 0)
        state.record.tags = merged
        try await persist([.saveQueue(state.record)])
    }

    /// UntagQueue: removes tags; unknown keys are ignored.
    public func untagQueue(_ key: QueueKey, keys: [String]) async throws(EngineError) {
        let state = try queue(key)
        if keys.isEmpty { throw EngineError.missingParameter("TagKeys") }
        for tagKey in keys {
            state.record.tags[tagKey] = nil
        }
        try await persist([.saveQueue(state.record)])
    }

    /// ListQueueTags.
    public func listQueueTags(_ key: QueueKey) throws(EngineError) -> [String: String] {
        try queue(key).record.tags
    }

    static func validateQueueName(_ name: String, fifo: Bool) throws(EngineError) {
        let base = fifo && name.hasSuffix(".fifo") ? String(name.dropLast(5)) : name
        let validCharacters = !base.isEmpty && base.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a) || byte == 0x5f || byte == 0x2d
        }
        if fifo {
            guard name.hasSuffix(".fifo"), validCharacters, name.utf8.count <= 80 else {
                throw EngineError(
                    .invalidParameterValue,
                    "The name of a FIFO queue can only include alphanumeric characters, hyphens, or underscores, must end with .fifo suffix and be 1 to 80 in length")
            }
        } else {
            guard validCharacters, name.utf8.count <= 80 else {
                throw EngineError(.invalidParameterValue, "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length")
            }
        }
    }

    static func validateTags(_ tags: [String: String], queueName: String, existingCount: Int) throws(EngineError) {
        if tags.count + existingCount > 50 {
            throw EngineError(.invalidParameterValue, "Too many tags added for queue \(queueName).")
        }
        for (key, value) in tags {
            if key.isEmpty || key.count > 128 {
                throw EngineError.invalidParameter("TagKey", value: key, reason: "Tag keys must be between 1 and 128 characters in length")
            }
            if value.count > 256 {
                throw EngineError.invalidParameter("TagValue", value: value, reason: "Tag values must be less than 256 characters in length")
            }
        }
    }
}
