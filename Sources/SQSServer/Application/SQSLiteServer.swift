import AsyncHTTPClient
import FoundationEssentials
import Logging
import NIOCore
import NIOHTTP1
import SQSAuth
import SQSEngine
import SQSStore
import ServiceLifecycle
import UnixSignals
import SQSHTTP
import SQSLambda
import SQSLogs
import SQSNotify
import Synchronization

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
    /// The in-memory mode's functions folder, removed when the server stops.
    private let temporaryFunctionsFolder = Mutex<String?>(nil)
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
        // The client of the HTTP-endpoint functions lives as long as the server and is shut down
        // once everything else has stopped.
        try await HTTPClient.withHTTPClient(configuration: .lambdaEndpoints) { endpointClient in
            try await run(endpointClient: endpointClient)
        }
    }

    private func run(endpointClient: HTTPClient) async throws {
        do {
            try await runServices(endpointClient: endpointClient)
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
            removeTemporaryFunctionsFolder()
            throw error
        }
        await functions.shutdownAll()
        removeTemporaryFunctionsFolder()
    }

    private func removeTemporaryFunctionsFolder() {
        guard let folder = temporaryFunctionsFolder.withLock({ $0 }) else { return }
        try? FileManager.default.removeItem(atPath: folder)
    }

    private func runServices(endpointClient: HTTPClient) async throws {
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
        let concurrency = ConcurrencyLimits()
        let invoker = FunctionInvoker(
            functions: functions, log: invocations, account: options.accountID, region: options.region, clock: SystemClock(), logger: logger,
            onInvocation: { [metrics] record in metrics.invoked(record) }, logSink: logSink, faults: control.faults, concurrency: concurrency)
        let mappings = EventSourceMappingManager(
            engine: engine, invoker: invoker, store: try openMappingStore(), clock: clock, logger: queueLogger,
            permissionCheck: auth.map { FunctionRoleAccessCheck(access: $0.access, engine: engine) },
            eventSink: { [metrics] uuid, function, event, count in metrics.mappingEvent(uuid: uuid, function: function, event: event, count: count) })
        let deployer = try await openDeployer(concurrency: concurrency, roles: auth.map { PrincipalExecutionRoles(directory: $0.access.directory) })
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
        var httpConfiguration = options.httpConfiguration
        httpConfiguration.bodySizeAllowance = { head in LambdaAPIResponder.bodySizeAllowance(method: head.method, uri: head.uri) }
        let server = HTTPServer(
            configuration: httpConfiguration,
            responder: ServerRouter(
                engine: engine, defaults: defaults,
                lambda: LambdaAPIResponder(
                    mappings: mappings, invoker: invoker, asyncQueueDepth: options.asyncInvokeQueueDepth, deployer: deployer), metrics: metrics,
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
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(service: engine), .init(service: mappings), .init(service: notify.scheduler), .init(service: server),
            .init(service: QueueHistorySampler(engine: engine, history: activity.history)),
        ]
        if options.trimsMemory {
            services.append(.init(service: MemoryTrimmer(logger: logger)))
        }
        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services,
                gracefulShutdownSignals: options.handlesSignals ? [.sigterm, .sigint] : [],
                logger: logger))
        // The functions need sqslite's real address (port 0 picks one), so the config's functions are
        // registered, their mappings created, and the API's functions started once the server listens.
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            // SNS links (SubscribeURL, UnsubscribeURL) name the real port once it is bound.
            if let port = await server.localAddress?.port {
                notify.links.baseURL = "http://\(advertisedHost):\(port)"
            }
            guard let port = await server.localAddress?.port else {
                try await tasks.waitForAll()
                return
            }
            let applier = LambdaConfigApplier(
                functions: functions, mappings: mappings, options: options, endpoint: "http://\(advertisedHost):\(port)", logger: logger,
                logSink: logSink, directory: auth?.access.directory, runtime: deployer.runtime, endpointClient: endpointClient)
            if let config, !config.functions.isEmpty || !config.eventSourceMappings.isEmpty {
                do {
                    try await applier.apply(config)
                } catch {
                    await group.triggerGracefulShutdown()
                    try? await tasks.waitForAll()
                    throw error
                }
            }
            await deployer.start(baseEnvironment: applier.baseEnvironment(), logSink: applier.logSink)
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

    /// The functions created with the Lambda API: `lambda-functions.json` beside `sqslite.db` and their
    /// code under `functions/`; in memory, a temporary folder removed when the server stops.
    private func openDeployer(concurrency: ConcurrencyLimits, roles: (any ExecutionRoleResolver)?) async throws -> FunctionDeployer {
        let folder: String
        let store: any FunctionStore
        if let directory = options.functionsDirectory, let path = options.databasePath {
            folder = directory
            store = JSONFileFunctionStore(path: String(path.dropLast("sqslite.db".count)) + "lambda-functions.json")
        } else {
            folder = FileManager.default.temporaryDirectory.path + "/sqslite-functions-" + RandomID.uuidString()
            store = MemoryFunctionStore()
            temporaryFunctionsFolder.withLock { $0 = folder }
        }
        // In memory the folder appears with the first function (a server killed outright leaves nothing behind).
        if options.functionsDirectory != nil {
            do {
                try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            } catch {
                throw StartupError("cannot create the functions folder \(folder): \(error)")
            }
        }
        let deployer = FunctionDeployer(
            registry: functions, concurrency: concurrency, store: store, functionsFolder: folder,
            runtime: FunctionRuntime(pythonInterpreter: options.pythonInterpreter, runtimesFolder: folder + "/.runtimes"),
            account: options.accountID, region: options.region, logger: logger, roles: roles)
        do {
            try await deployer.load()
        } catch {
            throw StartupError("cannot read the Lambda functions: \(error)")
        }
        return deployer
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
            return try SQLiteQueueStore(
                path: path, synchronous: synchronous, logger: logger, submitters: EventLoopSubmitters())
        } catch let error as SQLiteError where error.isBusy {
            throw StartupError(StartupChecks.databaseInUse(path: path, dataDirectory: options.dataDirectory))
        } catch {
            throw StartupError("cannot open the database \(path): \(error)")
        }
    }
}
