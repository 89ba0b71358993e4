import FoundationEssentials
import Logging
import NIOCore
import SQSAuth
import SQSEngine
import SQSStore
import ServiceLifecycle
import UnixSignals
import SQSHTTP
import SQSLambda
import SQSLogs
import SQSNotify

/// The composition root: the store, the queue engine, the HTTP server and its routes, run as one
/// swift-service-lifecycle service group.
///
/// ```swift
/// let server = SQSLiteServer(options: ServerOptions(port: 0, inMemory: true), logger: logger)
/// try await withThrowingDiscardingTaskGroup { group in
///     group.addTask { try await server.run() }
///     let address = await server.localAddress   // the real port
///     …
///     group.cancelAll()
/// }
/// ```
///
/// ``run()`` opens the store, loads it into the engine, creates the config file's queues, and only
/// then binds the port, so a request that reaches the server finds it ready. Graceful shutdown
/// (SIGINT/SIGTERM when ``ServerOptions/handlesSignals``, or cancelling the task) ends long polls,
/// lets in-flight requests finish, then closes the database.
public final class SQSLiteServer: Sendable {
    /// The options the server runs with.
    public let options: ServerOptions
    /// The Lambda functions: the config file's, and any registered in code (before or after ``run()``).
    public let functions = FunctionRegistry()
    /// Every recent invocation, for the admin page and tests.
    public let invocations = InvocationLog()
    /// The Prometheus metrics served at `/metrics`.
    public let metrics = ServerMetrics()
    /// Per-queue sends, receives and deletes over the last minute (the admin page's rates).
    public let activity: QueueActivity
    /// The test controls: the controllable clock (with ``ServerOptions/controllableClock``), fault
    /// rules, resets and the call record, also served at `/_sqslite/…`.
    public let control: TestControls
    let logger: Logger
    private let http = AsyncSlot<HTTPServer>()
    private let mappingManager = AsyncSlot<EventSourceMappingManager>()
    /// SNS, SES and the mailbox, once the server runs.
    let notifySlot = AsyncSlot<NotifyServices>()

    /// Creates a server; nothing happens until ``run()``.
    public init(options: ServerOptions, logger: Logger) {
        self.options = options
        self.logger = logger
        self.activity = QueueActivity(forwardingTo: metrics)
        self.control = TestControls(callRecordSize: options.callRecordSize ?? TestControlLimits.defaultCallRecordSize)
    }

    /// The address the server listens on, once it does; `nil` if startup failed.
    public var localAddress: SocketAddress? {
        get async {
            guard let server = await http.value else { return nil }
            return await server.localAddress
        }
    }

    /// The port the server listens on, once it does (the real one when port `0` was asked for).
    public var boundPort: Int? {
        get async { await localAddress?.port }
    }

    /// Maps a queue of the default account and region to a function (CreateEventSourceMapping),
    /// once the server runs.
    ///
    /// ```swift
    /// server.functions.register(InProcessFunction(name: "MessageProcessor") { (event: SQSEvent, _) -> SQSBatchResponse? in
    ///     print(event.records.map(\.body))
    ///     return nil
    /// })
    /// try await server.mapQueue("ChatAPP", to: "MessageProcessor")
    /// ```
    @discardableResult
    public func mapQueue(
        _ queueName: String, to functionName: String, settings: EventSourceMappingSettings = .init()
    ) async throws -> EventSourceMapping {
        guard let manager = await mappingManager.value else { throw StartupError("the server did not start") }
        let arn = "arn:aws:sqs:\(options.region):\(options.accountID):\(queueName)"
        return try await manager.create(eventSourceArn: arn, functionName: functionName, settings: settings)
    }

    /// Runs the server until graceful shutdown or cancellation.
    /// - Throws: ``StartupError`` when the config file, the data folder or the database is unusable.
    public func run() async throws {
        do {
            try await runServices()
        } catch let error as IOError {
            // Binding failed although the startup check found the port free (taken in between).
            http.fail()
            mappingManager.fail()
            await functions.shutdownAll()
            throw StartupError(StartupChecks.bindFailure(errno: error.errnoCode, host: options.host, port: options.port))
        } catch {
            http.fail()
            mappingManager.fail()
            notifySlot.fail()
            await functions.shutdownAll()
            throw error
        }
        await functions.shutdownAll()
    }

    private func runServices() async throws {
        var config: ConfigFile?
        if let path = options.configPath {
            do {
                config = try ConfigFile.load(path: path)
            } catch {
                throw StartupError(error.description)
            }
        }
        // Nothing is created on disk before these pass: the port is free and the config's functions can start.
        try StartupChecks.checkPort(host: options.httpConfiguration.listenAddresses[0], port: options.port)
        for definition in config?.functions ?? [] where definition.command != nil {
            try StartupChecks.checkFunction(
                name: definition.name, command: definition.command, workingDirectory: definition.workingDirectory,
                environment: definition.environment, location: "\(config?.path ?? "config"):\(definition.line)")
        }
        let store = try openStore()
        let logStore = try openLogStore()
        let queueLogger = QueueLogHandler.logger(logger, store: logStore, options: options, config: config)
        let clock = try setUpTestControls(config?.testControls ?? TestControlSettings())
        let engine = QueueEngine(
            store: store, clock: clock, configuration: EngineConfiguration(deletedQueueCooldown: options.deletedQueueCooldown), logger: queueLogger,
            observer: activity)
        try await engine.start()
        if let config {
            try await ConfigApplier(engine: engine, account: options.accountID, region: options.region).apply(config)
        }
        let auth = try makeAuthenticator(config: config, engine: engine)
        let echo = options.functionOutput == .console ? FunctionOutputEcho(logger: logger) : nil
        let logSink: FunctionLogSink = { group, stream, lines in
            logStore.append(group: group, stream: stream, lines: lines)
            echo?.write(group: group, lines: lines)
        }
        let invoker = FunctionInvoker(
            functions: functions, log: invocations, account: options.accountID, region: options.region, clock: SystemClock(), logger: logger,
            onInvocation: { [metrics] record in metrics.invoked(record) }, logSink: logSink, faults: control.faults)
        let mappings = EventSourceMappingManager(
            engine: engine, invoker: invoker, store: try openMappingStore(), clock: clock, logger: queueLogger,
            permissionCheck: auth.map { FunctionRoleAccessCheck(access: $0.access, engine: engine) })
        do {
            try await mappings.load()
        } catch {
            throw StartupError("cannot read the event source mappings: \(error)")
        }
        mappingManager.set(mappings)
        let notify = try await makeNotify(engine: engine, invoker: invoker, config: config, clock: clock, logger: logger)
        notifySlot.set(notify.services)
        // Mappings first, so their pollers stop before their queues go.
        control.resets.register(LambdaReset(mappings: mappings, invocations: invocations))
        control.resets.register(SQSReset(engine: engine, defaults: ServerDefaults(account: options.accountID, region: options.region)))
        control.resets.register(LogsReset(store: logStore))
        control.resets.register(MailboxReset(store: notify.services.mailbox))
        let defaults = ServerDefaults(account: options.accountID, region: options.region, authority: "\(advertisedHost):\(options.port)")
        let httpConfiguration = options.httpConfiguration
        let server = HTTPServer(
            configuration: httpConfiguration,
            responder: ServerRouter(
                engine: engine, defaults: defaults,
                lambda: LambdaAPIResponder(mappings: mappings, invoker: invoker, asyncQueueDepth: options.asyncInvokeQueueDepth), metrics: metrics,
                admin: options.adminEnabled
                    ? AdminResponder(
                        engine: engine, defaults: defaults,
                        lambda: .init(functions: functions, invocations: invocations, mappings: mappings, invoker: invoker),
                        activity: activity, adminToken: options.adminToken, logs: logStore,
                        notify: AdminNotify(sns: notify.services.sns, store: notify.snsStore, mailbox: notify.services.mailbox),
                        controls: control)
                    : nil,
                logs: LogsService(store: logStore, region: options.region, account: options.accountID), notify: notify.services,
                controls: control, adminToken: options.adminToken, auth: auth),
            logger: logger,
            oversizeResponse: ServerRouter.oversizeResponse(limit: httpConfiguration.maxRequestBodySize),
            onShutdown: { await engine.endLongPolls() })
        http.set(server)
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: [
                    .init(service: engine), .init(service: mappings), .init(service: notify.scheduler), .init(service: server),
                    .init(service: QueueHistorySampler(engine: engine, history: activity.history)),
                ],
                gracefulShutdownSignals: options.handlesSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        // The config's functions need sqslite's real address (port 0 picks one), so they are
        // registered, and their mappings created, once the server listens.
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // SNS links (SubscribeURL, UnsubscribeURL) name the real port once it is bound.
            if let port = await server.localAddress?.port {
                notify.links.baseURL = "http://\(advertisedHost):\(port)"
            }
            if let config, !config.functions.isEmpty || !config.eventSourceMappings.isEmpty {
                guard let port = await server.localAddress?.port else {
                    try await tasks.waitForAll()
                    return
                }
                do {
                    try await LambdaConfigApplier(
                        functions: functions, mappings: mappings, options: options, endpoint: "http://\(advertisedHost):\(port)", logger: logger,
                        logSink: logSink, directory: auth?.access.directory
                    ).apply(config)
                } catch {
                    await group.triggerGracefulShutdown()
                    try? await tasks.waitForAll()
                    throw error
                }
            }
            try await tasks.waitForAll()
        }
        // Function log lines still queued for the log store are written before the server returns.
        await logStore.flush()
    }

    /// The `--auth` step, when authentication is on (the flag, or the config's `auth.enabled`):
    /// the config's principals (an empty account is `--account-id`).
    private func makeAuthenticator(config: ConfigFile?, engine: QueueEngine) throws -> RequestAuthenticator? {
        guard options.authEnabled || config?.auth?.enabled == true else { return nil }
        let principals = (config?.auth?.principals ?? []).map { principal in
            var principal = principal
            if principal.account.isEmpty { principal.account = options.accountID }
            return principal
        }
        let access: AccessControl
        do {
            access = try AccessControl(principals: principals)
        } catch {
            throw StartupError("\(config?.path ?? "auth"): auth.principals: \(error)")
        }
        if principals.isEmpty {
            logger.warning("authentication is on but the config file declares no auth.principals: every request will be refused")
        } else {
            logger.info("authentication on", metadata: ["principals": "\(principals.count)"])
        }
        return RequestAuthenticator(access: access, engine: engine)
    }

    var advertisedHost: String {
        options.host == "0.0.0.0" || options.host == "::" ? "localhost" : options.host
    }

    private func openMappingStore() throws -> any MappingStore {
        guard let path = options.databasePath else { return MemoryMappingStore() }
        return JSONFileMappingStore(path: String(path.dropLast("sqslite.db".count)) + "event-source-mappings.json")
    }

    /// The CloudWatch Logs store: `logs.db` beside `sqslite.db`, or in memory.
    private func openLogStore() throws -> LogStore {
        let path = options.databasePath.map { String($0.dropLast("sqslite.db".count)) + "logs.db" }
        do {
            return try LogStore(path: path, logger: logger, defaultRetentionDays: options.logRetentionDays > 0 ? options.logRetentionDays : nil)
        } catch {
            throw StartupError("cannot open the log database \(path ?? ":memory:"): \(error)")
        }
    }

    private func openStore() throws -> any QueueStore {
        guard let path = options.databasePath else {
            return MemoryQueueStore()
        }
        try StartupChecks.prepareDataFolder(options.dataDirectory)
        do {
            let synchronous: SQLiteQueueStore.Synchronous = options.durability == .full ? .full : .normal
            return try SQLiteQueueStore(path: path, synchronous: synchronous, logger: logger)
        } catch {
            throw StartupError("cannot open the database \(path): \(error)")
        }
    }
}
