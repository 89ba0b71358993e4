import FoundationEssentials
import Logging
import SQSEngine
import ServiceLifecycle

/// The SQS event-source mappings: their settings (persisted through a ``MappingStore``) and the
/// pollers that feed queues to functions, run as a swift-service-lifecycle service.
///
/// Each enabled mapping runs ``EventSourceMapping/pollerCount`` pollers (`MaximumConcurrency`,
/// default ``defaultConcurrency``), so at most that many invocations run at once. A poller long-polls the queue through the engine, so a sent message
/// wakes it at once; it gathers a batch (see ``MappingPoller``), invokes the function, and deletes
/// what succeeded. Changing a mapping restarts its pollers; disabling stops them and leaves the
/// messages in the queue.
///
/// States are reported as Lambda reports them: `Creating`, `Enabling` and `Updating` until the new
/// pollers run, then `Enabled`; `Disabling` until the old pollers have finished their batches, then
/// `Disabled`; a deleted mapping is `Deleting` (still listed) until its pollers have stopped.
public actor EventSourceMappingManager: Service {
    /// Concurrent invocations per mapping when `maximumConcurrency` is not set.
    public static let defaultConcurrency = 5

    let engine: QueueEngine
    let invoker: FunctionInvoker
    let store: any MappingStore
    let clock: any EngineClock
    let logger: Logger
    /// With `--auth`: what the functions' roles may do to their queues.
    let permissionCheck: (any MappingPermissionCheck)?
    let eventSink: MappingEventSink?
    private var mappings: [EventSourceMapping] = []
    private var pollers: [String: [Task<Void, Never>]] = [:]
    private var running = false
    /// A state being reached (`Creating`, `Enabling`, `Updating`, `Disabling`), by mapping.
    private var transitions: [String: String] = [:]
    /// Deleted mappings whose pollers have not stopped yet (reported as `Deleting`).
    private var deleting: [String: EventSourceMapping] = [:]

    /// Creates the manager; ``load()`` reads the saved mappings.
    /// - Parameter eventSink: Gets the event counts of mappings whose `MetricsConfig` asks for `EventCount`.
    public init(
        engine: QueueEngine, invoker: FunctionInvoker, store: any MappingStore, clock: any EngineClock = SystemClock(), logger: Logger,
        permissionCheck: (any MappingPermissionCheck)? = nil, eventSink: MappingEventSink? = nil
    ) {
        self.permissionCheck = permissionCheck
        self.eventSink = eventSink
        self.engine = engine
        self.invoker = invoker
        self.store = store
        self.clock = clock
        self.logger = logger
    }

    /// Loads the saved mappings (call once before ``run()``).
    public func load() throws {
        mappings = try store.load()
    }

    /// Polls every enabled mapping until graceful shutdown or cancellation.
    public func run() async throws {
        running = true
        for mapping in mappings where mapping.enabled {
            startPollers(for: mapping)
        }
        try? await gracefulShutdown()
        running = false
        await stopAll()
    }

    // MARK: - The API

    /// CreateEventSourceMapping. With `--auth`, as on AWS, the function's execution role must be
    /// allowed to receive, delete and read the attributes of the queue's messages (unless
    /// `checkingPermissions` is off: a config file's mapping is created anyway and reports the
    /// problem in `LastProcessingResult`).
    public func create(
        eventSourceArn: String, functionName: String, settings: EventSourceMappingSettings, checkingPermissions: Bool = true
    ) async throws(LambdaAPIError) -> EventSourceMapping {
        let function = try resolveFunction(functionName)
        let name = function.configuration.name
        try await validateQueue(eventSourceArn)
        if checkingPermissions, let permissionCheck, let key = QueueKey(arn: eventSourceArn),
            let missing = await permissionCheck.missingPermission(function: function.configuration, queue: key)
        {
            throw .missingQueuePermission(missing)
        }
        if let existing = mappings.first(where: { $0.eventSourceArn == eventSourceArn && $0.functionName == name }) {
            throw .conflict(
                "An event source mapping with SQS arn (\" \(eventSourceArn) \") and function (\" \(name) \") already exists. Please update or delete the existing mapping with UUID \(existing.uuid)")
        }
        var mapping = EventSourceMapping(
            uuid: RandomID.uuidString(), eventSourceArn: eventSourceArn, functionName: name,
            lastModified: Double(clock.now().milliseconds) / 1000)
        try apply(settings, to: &mapping)
        mappings.append(mapping)
        try persist()
        if mapping.enabled {
            transitions[mapping.uuid] = "Creating"
            if running { startPollers(for: mapping) }
        }
        logger.info("event source mapping created", metadata: ["uuid": "\(mapping.uuid)", "queue": "\(eventSourceArn)", "function": "\(name)"])
        return mapping
    }

    /// GetEventSourceMapping.
    public func mapping(uuid: String) throws(LambdaAPIError) -> EventSourceMapping {
        guard let mapping = mappings.first(where: { $0.uuid == uuid }) ?? deleting[uuid] else {
            throw .notFound("The resource you requested does not exist. (Service: Lambda, Status Code: 404, Request ID: \(RandomID.uuidString()))")
        }
        return mapping
    }

    /// ListEventSourceMappings, optionally filtered by function and queue.
    public func list(functionName: String? = nil, eventSourceArn: String? = nil) -> [EventSourceMapping] {
        let name = functionName.map(Self.functionName(from:))
        let all = mappings + deleting.values.sorted { $0.uuid < $1.uuid }
        return all.filter { (name == nil || $0.functionName == name) && (eventSourceArn == nil || $0.eventSourceArn == eventSourceArn) }
    }

    /// The State Lambda reports now: a transition under way (`Creating`, `Enabling`, `Updating`,
    /// `Disabling`, `Deleting`), or `Enabled` / `Disabled`.
    public func reportedState(_ mapping: EventSourceMapping) -> String {
        if deleting[mapping.uuid] != nil { return "Deleting" }
        return transitions[mapping.uuid] ?? mapping.state
    }

    /// UpdateEventSourceMapping.
    public func update(uuid: String, settings: EventSourceMappingSettings) async throws(LambdaAPIError) -> EventSourceMapping {
        guard let index = mappings.firstIndex(where: { $0.uuid == uuid }) else {
            throw .notFound("The resource you requested does not exist.")
        }
        var mapping = mappings[index]
        let wasEnabled = mapping.enabled
        if let functionName = settings.functionName {
            mapping.functionName = try resolveFunction(functionName).configuration.name
        }
        try apply(settings, to: &mapping)
        mapping.lastModified = Double(clock.now().milliseconds) / 1000
        mappings[index] = mapping
        try persist()
        let old = pollers.removeValue(forKey: uuid) ?? []
        for task in old { task.cancel() }
        if mapping.enabled {
            transitions[uuid] = wasEnabled ? "Updating" : "Enabling"
            if running { startPollers(for: mapping) }
        } else if wasEnabled {
            transitions[uuid] = "Disabling"
            Task {
                for task in old { await task.value }
                self.finishDisabling(uuid)
            }
        }
        return mapping
    }

    private func finishDisabling(_ uuid: String) {
        if transitions[uuid] == "Disabling", mappings.first(where: { $0.uuid == uuid })?.enabled == false {
            transitions[uuid] = nil
        }
    }

    /// A poller has begun polling: the mapping's change is applied.
    func pollerStarted(_ uuid: String) {
        if let transition = transitions[uuid], transition != "Disabling" {
            transitions[uuid] = nil
        }
    }

    /// DeleteEventSourceMapping: stops polling; returns the mapping as it was (State `Deleting`).
    public func delete(uuid: String) async throws(LambdaAPIError) -> EventSourceMapping {
        guard let index = mappings.firstIndex(where: { $0.uuid == uuid }) else {
            throw .notFound("The resource you requested does not exist.")
        }
        let mapping = mappings.remove(at: index)
        do {
            try persist()
        } catch {
            mappings.insert(mapping, at: index)
            throw error
        }
        transitions[uuid] = nil
        let old = pollers.removeValue(forKey: uuid) ?? []
        for task in old { task.cancel() }
        if !old.isEmpty {
            deleting[uuid] = mapping
            Task {
                for task in old { await task.value }
                self.deleting[uuid] = nil
            }
        }
        return mapping
    }

    /// Creates a mapping, or updates the one for the same queue and function (config files).
    public func upsert(eventSourceArn: String, functionName: String, settings: EventSourceMappingSettings) async throws(LambdaAPIError) -> EventSourceMapping {
        let name = Self.functionName(from: functionName)
        if let existing = mappings.first(where: { $0.eventSourceArn == eventSourceArn && $0.functionName == name }) {
            return try await update(uuid: existing.uuid, settings: settings)
        }
        return try await create(eventSourceArn: eventSourceArn, functionName: functionName, settings: settings, checkingPermissions: false)
    }

    /// Deletes every mapping (its pollers stop; a batch being processed is settled first, in the
    /// background), for test suites' reset. Returns the number deleted.
    @discardableResult
    public func deleteAll() throws(LambdaAPIError) -> Int {
        let count = mappings.count
        mappings.removeAll()
        try persist()
        for tasks in pollers.values {
            for task in tasks { task.cancel() }
        }
        pollers.removeAll()
        return count
    }

    func recordResult(_ uuid: String, _ text: String) {
        guard let index = mappings.firstIndex(where: { $0.uuid == uuid }), mappings[index].lastProcessingResult != text else { return }
        mappings[index].lastProcessingResult = text
    }

    // MARK: - Validation

    private func resolveFunction(_ nameOrArn: String) throws(LambdaAPIError) -> any LambdaFunction {
        let name = Self.functionName(from: nameOrArn)
        guard let function = invoker.functions.function(named: name) else {
            throw .notFound("Function not found: arn:aws:lambda:\(invoker.region):\(invoker.account):function:\(name)")
        }
        return function
    }

    /// A function name from a name, a partial ARN or a full ARN.
    static func functionName(from nameOrArn: String) -> String {
        guard nameOrArn.contains(":") else { return nameOrArn }
        let parts = nameOrArn.split(separator: ":", omittingEmptySubsequences: false)
        if let index = parts.firstIndex(of: "function"), index + 1 < parts.count { return String(parts[index + 1]) }
        return String(parts.last ?? "")
    }

    private func validateQueue(_ arn: String) async throws(LambdaAPIError) {
        guard let key = QueueKey(arn: arn), await engine.queueExists(key) else {
            throw .invalidParameter(
                "Error occurred while ReceiveMessage. SQS Error Code: AWS.SimpleQueueService.NonExistentQueue. SQS Error Message: The specified queue does not exist.")
        }
    }

    private func apply(_ settings: EventSourceMappingSettings, to mapping: inout EventSourceMapping) throws(LambdaAPIError) {
        if let batchSize = settings.batchSize { mapping.batchSize = batchSize }
        if let window = settings.maximumBatchingWindowInSeconds { mapping.maximumBatchingWindowInSeconds = window }
        if let types = settings.functionResponseTypes { mapping.functionResponseTypes = types }
        if let concurrency = settings.maximumConcurrency { mapping.maximumConcurrency = concurrency }
        if let enabled = settings.enabled { mapping.enabled = enabled }
        if let patterns = settings.filterPatterns {
            _ = try SQSRecordFilter(patterns: patterns)
            mapping.filterPatterns = patterns.isEmpty ? nil : patterns
        }
        if let metrics = settings.metrics {
            for metric in metrics where metric != "EventCount" {
                if ["ErrorCount", "KafkaMetrics"].contains(metric) {
                    throw .invalidParameter("The metric \(metric) is not supported for Amazon SQS event sources: use EventCount.")
                }
                throw .validation(
                    "1 validation error detected: Value '[\(metrics.joined(separator: ", "))]' at 'metricsConfig.metrics' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [EventCount, ErrorCount, KafkaMetrics]]")
            }
            mapping.metrics = metrics.isEmpty ? nil : Array(Set(metrics)).sorted()
        }
        if let pollers = settings.provisionedPollers {
            mapping.minimumPollers = pollers.minimum
            mapping.maximumPollers = pollers.maximum
            if pollers.minimum != nil || pollers.maximum != nil {
                let minimum = pollers.minimum ?? LambdaAPILimits.minimumPollers.lowerBound
                let maximum = pollers.maximum ?? LambdaAPILimits.maximumPollers.upperBound
                guard LambdaAPILimits.minimumPollers.contains(minimum) else {
                    throw .invalidParameter(
                        "MinimumPollers must be between \(LambdaAPILimits.minimumPollers.lowerBound) and \(LambdaAPILimits.minimumPollers.upperBound) for Amazon SQS event sources.")
                }
                guard LambdaAPILimits.maximumPollers.contains(maximum) else {
                    throw .invalidParameter(
                        "MaximumPollers must be between \(LambdaAPILimits.maximumPollers.lowerBound) and \(LambdaAPILimits.maximumPollers.upperBound) for Amazon SQS event sources.")
                }
                guard minimum <= maximum else {
                    throw .invalidParameter("MinimumPollers must be less than or equal to MaximumPollers.")
                }
            }
        }
        let fifo = mapping.eventSourceArn.hasSuffix(".fifo")
        let maxBatch = fifo ? 10 : 10_000
        guard (1...maxBatch).contains(mapping.batchSize) else {
            throw .invalidParameter(
                "1 validation error detected: Value '\(mapping.batchSize)' at 'batchSize' failed to satisfy constraint: Member must have value \(mapping.batchSize < 1 ? "greater than or equal to 1" : "less than or equal to \(maxBatch)")")
        }
        guard (0...300).contains(mapping.maximumBatchingWindowInSeconds) else {
            throw .invalidParameter(
                "1 validation error detected: Value '\(mapping.maximumBatchingWindowInSeconds)' at 'maximumBatchingWindowInSeconds' failed to satisfy constraint: Member must have value less than or equal to 300")
        }
        if fifo && mapping.maximumBatchingWindowInSeconds > 0 {
            throw .invalidParameter("Batching window is not supported for FIFO queues.")
        }
        if mapping.batchSize > 10 && mapping.maximumBatchingWindowInSeconds < 1 {
            throw .invalidParameter("Maximum batch window in seconds must be greater than 0 if maximum batch size is greater than 10")
        }
        for type in mapping.functionResponseTypes where type != "ReportBatchItemFailures" {
            throw .invalidParameter(
                "1 validation error detected: Value '[\(type)]' at 'functionResponseTypes' failed to satisfy constraint: Member must satisfy constraint: [Member must satisfy enum value set: [ReportBatchItemFailures]]")
        }
        if let concurrency = mapping.maximumConcurrency, !LambdaAPILimits.maximumConcurrency.contains(concurrency) {
            let range = LambdaAPILimits.maximumConcurrency
            throw .invalidParameter(
                "1 validation error detected: Value '\(concurrency)' at 'scalingConfig.maximumConcurrency' failed to satisfy constraint: Member must have value \(concurrency < range.lowerBound ? "greater than or equal to \(range.lowerBound)" : "less than or equal to \(range.upperBound)")")
        }
    }

    private func persist() throws(LambdaAPIError) {
        do {
            try store.save(mappings)
        } catch {
            logger.error("saving event source mappings failed", metadata: ["error": "\(error)"])
            throw LambdaAPIError(type: "ServiceException", status: 500, message: "Saving the mapping failed: \(error)")
        }
    }

    // MARK: - Pollers

    private func startPollers(for mapping: EventSourceMapping) {
        let count = mapping.pollerCount
        // The patterns were checked when they were set.
        let filter = (try? SQSRecordFilter(patterns: mapping.filterPatterns ?? [])) ?? SQSRecordFilter.acceptingAll
        let poller = MappingPoller(
            mapping: mapping, filter: filter, engine: engine, invoker: invoker, clock: clock, manager: self, logger: logger,
            permissionCheck: permissionCheck, eventSink: mapping.metrics?.contains("EventCount") == true ? eventSink : nil)
        pollers[mapping.uuid] = (0..<count).map { _ in Task { await poller.run() } }
    }

    /// Cancels a mapping's pollers. A poller finishes the invocation it is in (its batch is
    /// settled as usual) and then stops; only shutdown waits for that.
    private func stopPollers(_ uuid: String, waiting: Bool = false) async {
        guard let tasks = pollers.removeValue(forKey: uuid) else { return }
        for task in tasks { task.cancel() }
        if waiting {
            for task in tasks { await task.value }
        }
    }

    private func stopAll() async {
        for uuid in Array(pollers.keys) {
            await stopPollers(uuid, waiting: true)
        }
    }
}
